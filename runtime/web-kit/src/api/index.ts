/** The HTTP client of the staff apps: every call to the engine goes through here. */
export { api, http, onSignedOut, request, showError, upload, urlOf, type Query, type RequestOptions, type UploadOptions } from './client.js';
export { ApiError, parseSchemaProblems, type FieldProblem } from './errors.js';
export { useServerErrors, type ServerErrors } from './form-errors.js';
export { changePassword, login, logout, me, type Profile, type Reference } from './auth.js';
export { can, currentUser, endSession, forgetSession, hasPermission, isSignedIn, loadProfile, onSignedIn, startSession } from './session.js';
export { clearTokens, readTokens, storeTokens, type SignedIn, type Tokens } from './tokens.js';
