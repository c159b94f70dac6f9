// The GOCACHEPROG protocol (Go ≥ 1.24, cmd/go/internal/cacheprog), as this program speaks it: the
// go command writes one JSON request a line on our stdin; a `put` with a body is followed by one
// more JSON value, the body as a base64 string. We answer with one JSON response a line on stdout,
// in any order, matched by ID; the very first line is ours, unasked: the commands we know.
//
// Every type and encoding of the protocol is in this file; the rest of src/cacheprog/ sees hex
// strings and files, never base64 or Go's field names.

import { createHash } from 'node:crypto';

export type Command = 'get' | 'put' | 'close';

/** What we declare in the handshake: go sends no command that is not in it. */
export const KNOWN_COMMANDS: readonly Command[] = ['get', 'put', 'close'];

/** A request from go, decoded: IDs as lower-case hex. */
export interface Request {
  id: number;
  command: string;
  /** 64 hex digits for get and put. */
  actionID?: string;
  /** 64 hex digits for put: sha256 of the body, computed by go. */
  outputID?: string;
  /** Bytes of the body that follows a put (0: no body line). */
  bodySize: number;
}

/** Our answer to a get (hit or miss), put or close, or an error. */
export type Response =
  | { id: number; miss: true }
  | { id: number; outputID: string; size: number; time: Date; diskPath: string }
  | { id: number; diskPath: string }
  | { id: number }
  | { id: number; err: string };

export class ProtocolError extends Error {}

/** The handshake line: {"ID":0,"KnownCommands":[…]}. */
export function handshakeLine(): string {
  return JSON.stringify({ ID: 0, KnownCommands: KNOWN_COMMANDS }) + '\n';
}

const HEX64 = /^[0-9a-f]{64}$/;

function idField(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ProtocolError(`${name} is not a base64 string`);
  const hex = Buffer.from(v, 'base64').toString('hex');
  // cmd/go's IDs are sha256 sized; anything else cannot name a file of ours.
  if (!HEX64.test(hex)) throw new ProtocolError(`${name} is not 32 bytes`);
  return hex;
}

/** Decodes one request line (a JSON object, as cmd/go's encoding/json writes it). */
export function parseRequest(line: string): Request {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    throw new ProtocolError(`malformed request: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ProtocolError('malformed request: not an object');
  const id = raw.ID;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new ProtocolError('malformed request: no ID');
  const bodySize = raw.BodySize ?? 0;
  if (typeof bodySize !== 'number' || !Number.isSafeInteger(bodySize) || bodySize < 0) throw new ProtocolError(`request ${id}: bad BodySize`);
  return {
    id,
    command: typeof raw.Command === 'string' ? raw.Command : '',
    actionID: idField(raw.ActionID, 'ActionID'),
    outputID: idField(raw.OutputID, 'OutputID'),
    bodySize,
  };
}

/** Encodes a response line with Go's field names; IDs go back to base64. */
export function responseLine(res: Response): string {
  const out: Record<string, unknown> = { ID: res.id };
  if ('err' in res) out.Err = res.err;
  if ('miss' in res) out.Miss = true;
  if ('outputID' in res) {
    out.OutputID = Buffer.from(res.outputID, 'hex').toString('base64');
    out.Size = res.size;
    out.Time = res.time.toISOString();
  }
  if ('diskPath' in res) out.DiskPath = res.diskPath;
  return JSON.stringify(out) + '\n';
}

// The client's half, as cmd/go speaks it (orchestrion go uses the build's GOCACHEPROG for the
// shared suffix, src/cacheprog/client.ts).

export interface ClientResponse {
  id: number;
  knownCommands?: string[];
  miss?: boolean;
  err?: string;
  diskPath?: string;
}

/** A request line as cmd/go writes it; a put's body follows on its own line, as a base64 JSON string. */
export function clientRequestLine(r: { id: number; command: string; actionID?: string; body?: Buffer }): string {
  const out: Record<string, unknown> = { ID: r.id, Command: r.command };
  if (r.actionID) out.ActionID = Buffer.from(r.actionID, 'hex').toString('base64');
  if (r.body) {
    out.OutputID = createHash('sha256').update(r.body).digest('base64');
    out.BodySize = r.body.length;
  }
  let line = JSON.stringify(out) + '\n';
  if (r.body && r.body.length > 0) line += JSON.stringify(r.body.toString('base64')) + '\n';
  return line;
}

export function parseClientResponse(line: string): ClientResponse | undefined {
  try {
    const raw = JSON.parse(line) as Record<string, unknown>;
    if (typeof raw.ID !== 'number') return undefined;
    return {
      id: raw.ID,
      ...(Array.isArray(raw.KnownCommands) && { knownCommands: raw.KnownCommands.filter((c): c is string => typeof c === 'string') }),
      ...(raw.Miss === true && { miss: true }),
      ...(typeof raw.Err === 'string' && raw.Err !== '' && { err: raw.Err }),
      ...(typeof raw.DiskPath === 'string' && raw.DiskPath !== '' && { diskPath: raw.DiskPath }),
    };
  } catch {
    return undefined;
  }
}
