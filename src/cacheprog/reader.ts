// Splits what go writes on our stdin into requests, streaming each put's body to a sink as it
// arrives: a body is a JSON string of base64 that may be tens of megabytes (a linked test binary),
// so it is decoded chunk by chunk and never held whole.
import { parseRequest, ProtocolError, type Request } from './protocol.ts';

/** Where a put's body goes while it is read (a temporary file of the local store). */
export interface BodySink {
  write(chunk: Buffer): void;
  end(): void;
}

export interface ReaderHandlers<B extends BodySink> {
  openBody(req: Request): B;
  /** A complete request; for a put with a body, after the sink's end(). */
  request(req: Request, body: B | undefined): void;
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;

export class RequestReader<B extends BodySink> {
  private pendingLine: Buffer[] = [];
  private state: 'line' | 'before-body' | 'body' = 'line';
  private put: { req: Request; sink: B } | undefined;
  /** base64 characters not yet decoded: fewer than 4. */
  private carry = '';

  private readonly handlers: ReaderHandlers<B>;

  constructor(handlers: ReaderHandlers<B>) {
    this.handlers = handlers;
  }

  /** Consumes one chunk of stdin. Throws ProtocolError on input that is not the protocol. */
  push(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'line') {
        const nl = chunk.indexOf(NEWLINE, i);
        if (nl < 0) {
          this.pendingLine.push(chunk.subarray(i));
          return;
        }
        this.pendingLine.push(chunk.subarray(i, nl));
        const line = Buffer.concat(this.pendingLine).toString('utf8');
        this.pendingLine = [];
        i = nl + 1;
        if (line.trim() !== '') this.onLine(line);
      } else if (this.state === 'before-body') {
        // cmd/go ends the request with a blank line, then opens the body's string.
        const c = chunk[i]!;
        if (c === QUOTE) this.state = 'body';
        else if (c !== NEWLINE && c !== 0x0d && c !== 0x20 && c !== 0x09) throw new ProtocolError(`request ${this.put!.req.id}: expected the body's string`);
        i++;
      } else {
        const q = chunk.indexOf(QUOTE, i);
        this.decode(chunk.subarray(i, q < 0 ? chunk.length : q));
        if (q < 0) return;
        i = q + 1;
        this.finishBody();
      }
    }
  }

  /** Standard input ended: anything half-read is an error. */
  end(): void {
    if (this.state !== 'line' || Buffer.concat(this.pendingLine).toString().trim() !== '') {
      throw new ProtocolError('input ended inside a request');
    }
  }

  private onLine(line: string): void {
    const req = parseRequest(line);
    if (req.command === 'put' && req.bodySize > 0) {
      this.put = { req, sink: this.handlers.openBody(req) };
      this.state = 'before-body';
    } else {
      this.handlers.request(req, undefined);
    }
  }

  private decode(part: Buffer): void {
    const text = this.carry + part.toString('latin1');
    const whole = text.length - (text.length % 4);
    if (whole > 0) this.put!.sink.write(Buffer.from(text.slice(0, whole), 'base64'));
    this.carry = text.slice(whole);
  }

  private finishBody(): void {
    const { req, sink } = this.put!;
    if (this.carry !== '') sink.write(Buffer.from(this.carry, 'base64'));
    this.carry = '';
    this.put = undefined;
    this.state = 'line';
    sink.end();
    this.handlers.request(req, sink);
  }
}
