/** Password hashing with a memory-hard function (Argon2id behind adapters/passwords). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}
