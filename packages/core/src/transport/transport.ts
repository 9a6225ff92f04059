/** One request as it goes on the wire: headers final, body encoded or a FormData/Blob to encode. */
export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | FormData | Blob;
  /** Aborts the exchange: the deadline, or the caller's own signal. */
  signal: AbortSignal;
}

/** What the gateway answered, the body read whole as text. */
export interface WireResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * How the client talks HTTP. `exchange` reads the whole body; `open` hands the body over as a
 * stream (media downloads). Both follow redirects and reject with the underlying error (its `code`
 * says whether a connection was made) when no response arrives.
 */
export interface Transport {
  /** `node-http` (keep-alive `node:http`/`node:https`) or `fetch`. */
  readonly name: 'node-http' | 'fetch';
  exchange(request: WireRequest): Promise<WireResponse>;
  open(request: WireRequest): Promise<Response>;
}
