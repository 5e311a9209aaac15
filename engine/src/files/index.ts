export { CHUNK_SIZE, DEFAULT_FILE_STORAGE, FileContents, type Stage, type StagedContent } from './content.js';
export { makeThumbnail, recogniseType, THUMBNAIL_SIZE } from './examine.js';
export { FileService, MAX_FILES_PER_UPLOAD, newFile, thumbnailOf, type FileCaller, type FileContent } from './file-service.js';
export { DeleteFileCmd, FILE_NOUN, fileReferencesExist, fileView, requireFile, StoreFilesCmd, type FileView, type NewFile } from './files.js';
export { DEFAULT_FILE_POLICY, MAX_FILE_SIZE, MEGABYTE, readFilePolicy, RECOGNISED_TYPES, SetFilePolicyCmd, TEXT_PLAIN, type FilePolicy, type TenantFilePolicy } from './policy.js';
export { cleanFileName, receiveMultipart, receiveUploads, type MultipartBody, type ReceivedField, type ReceivedFile, type ReceiveOptions, type ReceiveRefusals, type UploadLimits } from './receive.js';
export { FileTooLargeError, UploadRefusedError, type FileRefusal } from './refusals.js';
