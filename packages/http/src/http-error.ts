// The one error type a route throws for bad input: becomes `{ error_code, message }` with its status.
// error_code follows Confluent's REST convention (status × 100 + a detail digit pair, e.g. 40401)
// so the schema registry and REST-proxy shapes can use it; by default it is the status itself.

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly errorCode: number;

  constructor(
    readonly status: number,
    message: string,
    errorCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.errorCode = errorCode ?? status;
  }

  static badRequest(message: string, errorCode?: number): HttpError {
    return new HttpError(400, message, errorCode);
  }

  static notFound(message: string, errorCode?: number): HttpError {
    return new HttpError(404, message, errorCode);
  }
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  readonly error_code: number;
  readonly message: string;
}
