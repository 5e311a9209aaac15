import { BadUserRequestError, PayloadTooLargeError } from '../errors/index.js';
import { MEGABYTE } from './policy.js';

/** Why one uploaded file was refused: the file, the rule of the tenant's policy, a message for people. */
export interface FileRefusal {
  readonly file: string;
  readonly rule: 'maxSize' | 'type' | 'empty';
  readonly message: string;
}

/** Files of a type the tenant does not accept (or of none recognisable): nothing of the upload is stored (HTTP 400). */
export class UploadRefusedError extends BadUserRequestError {
  constructor(readonly refusals: readonly FileRefusal[]) {
    super(refusals.map((refusal) => refusal.message).join('; '));
  }

  override details(): Record<string, unknown> {
    return { errors: this.refusals };
  }
}

/** A file beyond the tenant's size limit: reading stopped there and nothing was stored (HTTP 413). */
export class FileTooLargeError extends PayloadTooLargeError {
  readonly refusal: FileRefusal;

  constructor(file: string, maxSize: number) {
    const message = `文件 ${file} 超过大小上限 ${readableSize(maxSize)} (file '${file}' is larger than the limit of ${maxSize} bytes)`;
    super(message);
    this.refusal = { file, rule: 'maxSize', message };
  }

  override details(): Record<string, unknown> {
    return { errors: [this.refusal] };
  }
}

export function typeRefused(file: string, contentType: string, allowed: readonly string[]): FileRefusal {
  return {
    file,
    rule: 'type',
    message: `文件 ${file} 的类型 ${contentType} 不在允许上传的类型之内 (file '${file}' is ${contentType} by its content, which is not allowed: ${allowed.join(', ') || 'no type is'})`,
  };
}

export function typeUnknown(file: string): FileRefusal {
  return { file, rule: 'type', message: `无法从内容识别文件 ${file} 的类型 (the type of file '${file}' cannot be recognised from its content)` };
}

export function emptyFile(file: string): FileRefusal {
  return { file, rule: 'empty', message: `文件 ${file} 是空文件 (file '${file}' is empty)` };
}

/** `20 MB`, `1.5 KB`, `900 字节`: one decimal at most. */
function readableSize(bytes: number): string {
  const [amount, unit] = bytes >= MEGABYTE ? [bytes / MEGABYTE, 'MB'] : bytes >= 1024 ? [bytes / 1024, 'KB'] : [bytes, '字节'];
  return `${Math.round(amount * 10) / 10} ${unit}`;
}
