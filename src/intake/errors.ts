/** Why an article was refused; the kind lets a front end pick wording or tests assert without matching text. */
export type IntakeErrorKind =
  | 'bad-link'
  | 'blocked-address'
  | 'not-found'
  | 'http-error'
  | 'timed-out'
  | 'unreachable'
  /**
   * The DNS servers answered that they failed or refused (SERVFAIL, REFUSED), each asked in turn (`linkResolver`):
   * nothing is known of the name.
   */
  | 'dns-failed'
  | 'too-large'
  | 'binary'
  | 'bad-encoding'
  | 'not-an-article'
  | 'read-only'
  | 'no-such-article'
  /** Too many pages already being read (`MAX_WAITING`): nothing wrong with this one; try again later. */
  | 'busy'
  /** The same link or article (its address or quoted text) is being added now, in this process: both would be saved. */
  | 'being-added'
  /** A file in the data folder from another address, or none, has the same quoted text: it would be a second copy. */
  | 'already-in-sources';

/** A refused add or remove. `message` is one line, meant for the moderator, and nothing was written. */
export class IntakeError extends Error {
  override name = 'IntakeError';
  constructor(
    readonly kind: IntakeErrorKind,
    message: string,
  ) {
    super(message);
  }
}

