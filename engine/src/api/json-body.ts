import { bodyParser } from '@koa/bodyparser';
import { BadUserRequestError } from '../errors/index.js';

/** JSON request bodies only; a malformed one is a 400 naming the parse error. */
export function jsonBodyParser(limit: string) {
  return bodyParser({
    enableTypes: ['json'],
    jsonLimit: limit,
    onError: (error) => {
      throw new BadUserRequestError(`The request body is not valid JSON: ${error.message}`);
    },
  });
}
