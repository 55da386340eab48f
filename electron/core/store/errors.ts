/** Errors the store throws that callers are expected to tell apart (the API maps them to error codes). */

/** A record asked for by id does not exist; the API answers `not_found`. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** A request that is well-formed but cannot be done as asked (a folder that does not exist); the API answers `bad_request`. */
export class InvalidRequestError extends Error {
  override name = 'InvalidRequestError';
}
