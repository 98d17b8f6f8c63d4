export { characterErrorRate } from '../../src/domain/cer.js';
