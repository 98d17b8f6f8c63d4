import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../../ports/passwords.js';

/**
 * Argon2id with OWASP's recommended cost (19 MiB of memory, 2 passes, 1 lane): a stolen
 * registry file gives no password back in any useful time.
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password, OPTIONS),
  verify: async (stored, password) => {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  },
};
