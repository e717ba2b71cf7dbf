import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { mnemonicToEntropy, generateMnemonic as scureGenerate } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { WalletError } from './errors.js';

const WORD_COUNTS = [12, 15, 18, 21, 24] as const;
export type MnemonicWordCount = (typeof WORD_COUNTS)[number];

/** Splits and lower-cases a phrase, checking every word and the BIP39 checksum. */
export function normalizeMnemonic(phrase: string): string {
  if (typeof phrase !== 'string') {
    throw new WalletError('INVALID_MNEMONIC', 'mnemonic must be a string');
  }
  const words = phrase.normalize('NFKD').trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!(WORD_COUNTS as readonly number[]).includes(words.length)) {
    throw new WalletError(
      'INVALID_MNEMONIC',
      `mnemonic has ${words.length} words; BIP39 allows ${WORD_COUNTS.join(', ')}`,
    );
  }
  words.forEach((word, i) => {
    if (!wordlist.includes(word)) {
      throw new WalletError(
        'INVALID_MNEMONIC',
        `mnemonic word ${i + 1} ("${word}") is not in the BIP39 English word list`,
      );
    }
  });
  const normalized = words.join(' ');
  try {
    mnemonicToEntropy(normalized, wordlist);
  } catch (cause) {
    throw new WalletError('INVALID_MNEMONIC', 'mnemonic checksum does not match its words', {
      cause,
    });
  }
  return normalized;
}

/**
 * The substrate-bip39 mini-secret: PBKDF2-HMAC-SHA512 over the mnemonic's *entropy* (not its
 * words, unlike BIP39 seeds), salt `"mnemonic" + password`, 2048 rounds, first 32 bytes.
 */
export function mnemonicToMiniSecret(phrase: string, password = ''): Uint8Array {
  const entropy = mnemonicToEntropy(normalizeMnemonic(phrase), wordlist);
  const salt = new TextEncoder().encode(`mnemonic${password.normalize('NFKD')}`);
  return pbkdf2(sha512, entropy, salt, { c: 2048, dkLen: 64 }).slice(0, 32);
}

/** A new random English mnemonic (12 words by default, as btcli creates). */
export function generateMnemonic(words: MnemonicWordCount = 12): string {
  if (!(WORD_COUNTS as readonly number[]).includes(words)) {
    throw new WalletError('INVALID_MNEMONIC', `cannot generate a ${words}-word mnemonic`);
  }
  return scureGenerate(wordlist, (words / 3) * 32);
}

export function isValidMnemonic(phrase: string): boolean {
  try {
    normalizeMnemonic(phrase);
    return true;
  } catch {
    return false;
  }
}
