import { randomBytes } from 'node:crypto';

/** 32 characters that cannot be mistaken for one another: no 0/O, no 1/I. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** 12 characters of 5 random bits each: 60 bits, beyond guessing at any rate the lookup limit allows. */
export const TRACKING_CODE_LENGTH = 12;

/** A new tracking code: each character from one random byte's low 5 bits (32 divides 256, so every character is equally likely). */
export function newTrackingCode(): string {
  return [...randomBytes(TRACKING_CODE_LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
}

/** A code as a citizen may type it (spaces around, lower case) as it is stored; anything longer than a code is no code. */
export function normaliseTrackingCode(input: string): string {
  const code = input.trim().toUpperCase();
  return code.length > TRACKING_CODE_LENGTH ? '' : code;
}
