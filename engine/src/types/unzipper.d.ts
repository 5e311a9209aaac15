/**
 * The part of unzipper 0.10 (which ships no types; installed with exceljs) that the user import
 * uses: a ZIP archive's central directory, read without inflating anything (lib/Open/directory.js).
 */
declare module 'unzipper' {
  import type { Readable } from 'node:stream';

  namespace unzipper {
    /** One entry of the central directory, with the sizes it declares. */
    interface File {
      readonly path: string;
      readonly type: 'File' | 'Directory';
      readonly compressedSize: number;
      readonly uncompressedSize: number;
      /** the entry's content, inflated as it is read */
      stream(password?: string): Readable;
    }

    interface CentralDirectory {
      readonly files: File[];
    }
  }

  const unzipper: {
    readonly Open: {
      /** reads the central directory of an archive held in memory; rejects when there is none */
      buffer(data: Buffer): Promise<unzipper.CentralDirectory>;
    };
  };
  export = unzipper;
}
