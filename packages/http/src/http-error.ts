// The one error type a route throws for bad input: becomes `{ error_code, message }` with its status.
// error_code follows Confluent's REST convention (status × 100 + a detail digit pair, e.g. 40401)
// so the schema registry and REST-proxy shapes can use it; by default it is the status itself.

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly errorCode: number;
  /** Headers sent with the error answer (a 401's WWW-Authenticate). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly status: number,
    message: string,
    errorCode?: number,
    options?: { cause?: unknown; headers?: Readonly<Record<string, string>> },
  ) {
    super(message, options);
    this.errorCode = errorCode ?? status;
    this.headers = options?.headers ?? {};
  }

  static badRequest(message: string, errorCode?: number): HttpError {
    return new HttpError(400, message, errorCode);
  }

  static notFound(message: string, errorCode?: number): HttpError {
    return new HttpError(404, message, errorCode);
  }

  /** No or bad credentials: `challenge` is the WWW-Authenticate value (`Basic realm="mq"`). */
  static unauthorized(message: string, challenge: string): HttpError {
    return new HttpError(401, message, undefined, { headers: { 'www-authenticate': challenge } });
  }

  static forbidden(message: string): HttpError {
    return new HttpError(403, message);
  }
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  readonly error_code: number;
  readonly message: string;
}
