/**
 * Prints a fresh Fernet key for TOKEN_ENCRYPTION_KEYS: `npm run generate-key`.
 * To rotate, put the new key first and keep the old ones after it: TOKEN_ENCRYPTION_KEYS=new,old
 */
import { generateFernetKeyText } from "../src/auth/parse-fernet-key.js";

process.stdout.write(`${generateFernetKeyText()}\n`);
