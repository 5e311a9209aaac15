import http from 'node:http';

export interface StreamedUpload {
  /** where to POST */
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** plain fields sent before the file */
  readonly fields?: Record<string, string>;
  /** the file part's field name */
  readonly fileField: string;
  readonly filename: string;
  /** the file's size in bytes: a JPEG's first bytes, then filler */
  readonly total: number;
}

/**
 * A multipart upload whose one file is produced while it is sent, a piece at a time, until the
 * server answers: what the server answered and how much of the file had gone out by then.
 */
export function streamUpload(upload: StreamedUpload): Promise<{ status: number; body: string; sentWhenAnswered: number }> {
  const { total } = upload;
  const boundary = 'yiwang-stream-test';
  const fields = Object.entries(upload.fields ?? {}).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('');
  const head = Buffer.from(`${fields}--${boundary}\r\nContent-Disposition: form-data; name="${upload.fileField}"; filename="${upload.filename}"\r\nContent-Type: image/jpeg\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL(upload.url);
  const piece = Buffer.alloc(64 * 1024, 0x55);
  piece.set([0xff, 0xd8, 0xff, 0xe0]);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const headers = { ...upload.headers, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': head.length + total + tail.length };
    const req = http.request({ hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
      answered = true;
      const sentWhenAnswered = sent;
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), sentWhenAnswered });
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const send = async () => {
      req.write(head);
      while (sent < total && !answered) {
        const part = piece.subarray(0, Math.min(piece.length, total - sent));
        sent += part.length;
        if (!req.write(part)) await new Promise((drained) => req.once('drain', drained));
        await new Promise((pause) => setTimeout(pause, 1));
      }
      if (!answered) req.end(tail);
    };
    void send();
  });
}
