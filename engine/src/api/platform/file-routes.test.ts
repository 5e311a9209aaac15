import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { fileReferencesExist } from '../../files/index.js';
import { readAs, startIdentity, type Principal } from '../../identity/index.js';
import { silentLogger } from '../../logging/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { bpmn, deployProcess, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { basicAuth, startApiServer, TEST_ADMIN_PASSWORD, type ApiClient } from '../../testing/rest.js';
import { streamUpload } from '../../testing/stream-upload.js';
import { startServer } from '../server.js';

const { city, countyA, countyB } = TENANT_TREE;
const MEGABYTE = 1024 * 1024;

interface StoredFile {
  id: string;
  tenantId: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  thumbnail: boolean;
  createdBy: string;
}

interface Refusal {
  type: string;
  message: string;
  errors: { file: string; rule: string; message: string }[];
}

const png = (width = 40, height = 30) => sharp({ create: { width, height, channels: 3, background: '#2a6' } }).png().toBuffer();
/** A Windows executable's first bytes: the MZ header file-type recognises. */
const EXE = Buffer.concat([Buffer.from('4d5a90000300000004000000ffff0000b800000000000000400000000000000000000000', 'hex'), Buffer.alloc(200)]);
/** A PDF signature followed by filler: recognised as a PDF, of any size wanted. */
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(size - 9, 7)]);
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

function form(...files: [content: Buffer, name: string][]): FormData {
  const body = new FormData();
  for (const [content, name] of files) body.append('file', new Blob([content], { type: 'application/octet-stream' }), name);
  return body;
}

/** The row counts of the file tables: a refused upload leaves them as they were. */
async function fileRows(engine: ProcessEngine): Promise<{ files: number; chunks: number }> {
  const [files, chunks] = await engine.database.read((sql) =>
    Promise.all([sql.select('SELECT COUNT(*) AS n FROM stored_file'), sql.select('SELECT COUNT(*) AS n FROM stored_file_chunk')]),
  );
  return { files: Number(files[0]?.n), chunks: Number(chunks[0]?.n) };
}

describeOnDatabases('api/platform - files', (fixture) => {
  let api: ApiClient;
  const sessions = new Map<string, Promise<string>>();
  const auth = (userId: string) => {
    if (!sessions.has(userId)) sessions.set(userId, api.signIn(userId));
    return sessions.get(userId) as Promise<string>;
  };
  const request = async (userId: string, route: string, init: { method?: string; body?: unknown } = {}) => api.request(route, { ...init, auth: await auth(userId) });
  const upload = async (userId: string, body: FormData): Promise<StoredFile[]> => {
    const response = await request(userId, '/files', { body });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`upload as ${userId} answered ${response.status}, expected 201: ${text}`);
    return JSON.parse(text) as StoredFile[];
  };
  const uploadOne = async (userId: string, content: Buffer, name: string): Promise<StoredFile> => {
    const [stored, ...more] = await upload(userId, form([content, name]));
    if (!stored || more.length > 0) throw new Error(`one file uploaded as ${userId}, ${more.length + (stored ? 1 : 0)} stored`);
    return stored;
  };
  const readFor = async <T>(userId: string, work: Parameters<typeof readAs<T>>[2]): Promise<T> =>
    readAs(fixture().engine.database, (await api.principals.load(userId)) as Principal, work);

  before(async () => {
    const { engine } = fixture();
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: city, code: 'uploader', permissions: ['file:read', 'file:write'] },
        { tenantId: city, code: 'reader', permissions: ['file:read'] },
        { tenantId: countyA, code: 'uploader', permissions: ['file:read', 'file:write'] },
        { tenantId: countyB, code: 'uploader', permissions: ['file:read', 'file:write', 'tenant:read', 'tenant:write'] },
      ],
      users: [
        { id: 'city-up', tenantId: city, roles: ['uploader'] },
        { id: 'city-up-2', tenantId: city, roles: ['uploader'] },
        { id: 'city-reader', tenantId: city, roles: ['reader'] },
        { id: 'a-up', tenantId: countyA, roles: ['uploader'] },
        { id: 'b-admin', tenantId: countyB, roles: ['uploader'] },
      ],
    });
    api = await startApiServer(engine);
  });

  after(async () => {
    await api?.close();
  });

  it('recognises a file by its content: a PNG named .pdf is stored as a PNG, with a thumbnail, a hash and an audit row', async () => {
    // given
    const content = await png();
    // when
    const stored = await uploadOne('city-up', content, '现场照片.pdf');
    // then
    expect(stored).to.include({ tenantId: city, name: '现场照片.pdf', contentType: 'image/png', size: content.length, sha256: sha256(content), thumbnail: true, createdBy: 'city-up' });
    const audit = await fixture().engine.database.read((sql) => sql.select('SELECT action, user_id, tenant_id FROM audit_log WHERE object_id = $1', [stored.id]));
    expect(audit).to.deep.equal([{ action: 'file.upload', user_id: 'city-up', tenant_id: city }]);
  });

  it('refuses an executable named .jpg, and with it the whole upload, naming the file and the rule', async () => {
    // given
    const before = await fileRows(fixture().engine);
    // when
    const response = await request('city-up', '/files', { body: form([await png(), 'ok.png'], [EXE, 'photo.jpg']) });
    // then
    expect(response.status).to.equal(400);
    const refusal = (await response.json()) as Refusal;
    expect(refusal.errors).to.have.length(1);
    expect(refusal.errors[0]).to.include({ file: 'photo.jpg', rule: 'type' });
    expect(refusal.message).to.contain("file 'photo.jpg' is application/x-msdownload by its content, which is not allowed");
    expect(await fileRows(fixture().engine)).to.deep.equal(before);
  });

  it('answers 413 to a 25 MB upload before it is complete, reading no further than the 20 MB limit, and stores nothing', async () => {
    // given
    const before = await fileRows(fixture().engine);
    const total = 25 * MEGABYTE;
    // when
    const { status, body, sentWhenAnswered } = await streamUpload({ url: `${api.baseUrl}/files`, headers: { Authorization: await auth('city-up') }, fileField: 'file', filename: 'big.jpg', total });
    // then
    expect(status).to.equal(413);
    // the answer came soon after the limit (sockets buffer some), while the client had megabytes left to send
    expect(sentWhenAnswered).to.be.below(23 * MEGABYTE);
    const refusal = JSON.parse(body) as Refusal;
    expect(refusal.type).to.equal('PayloadTooLargeException');
    expect(refusal.errors).to.deep.equal([{ file: 'big.jpg', rule: 'maxSize', message: refusal.message }]);
    expect(refusal.message).to.contain("file 'big.jpg' is larger than the limit of 20971520 bytes");
    expect(await fileRows(fixture().engine)).to.deep.equal(before);
  });

  it("follows the tenant's policy as its administrator changes it: text once allowed, the size limit to the byte", async () => {
    // given
    const text = Buffer.from('巡查记录：井盖缺失\n', 'utf8');
    const refusedText = await request('b-admin', '/files', { body: form([text, 'notes.txt']) });
    // when
    const policy = await api.json('/admin/file-policy', { method: 'PUT', auth: await auth('b-admin'), body: { maxSize: 1000, allowedTypes: ['image/png', 'text/plain'] } });
    const storedText = await uploadOne('b-admin', text, 'notes.txt');
    const atLimit = await uploadOne('b-admin', Buffer.alloc(1000, 'a'), 'exactly.txt');
    const overLimit = await request('b-admin', '/files', { body: form([Buffer.alloc(1001, 'a'), 'over.txt']) });
    const pdfNowRefused = await request('b-admin', '/files', { body: form([pdf(500), 'report.pdf']) });
    const unknownType = await request('b-admin', '/admin/file-policy', { method: 'PUT', body: { maxSize: 1000, allowedTypes: ['application/x-made-up'] } });
    const otherTenant = await request('b-admin', '/admin/file-policy', { method: 'PUT', body: { tenantId: countyA, maxSize: 1000, allowedTypes: [] } });
    const seenByUploader = await api.json('/files/policy', { auth: await auth('b-admin') });
    const cityPolicy = await api.json<{ custom: boolean; maxSize: number }>('/files/policy', { auth: await auth('city-up') });
    // then
    expect(refusedText.status).to.equal(400);
    expect(((await refusedText.json()) as Refusal).errors[0]).to.include({ file: 'notes.txt', rule: 'type' });
    expect(policy).to.deep.equal({ tenantId: countyB, custom: true, maxSize: 1000, allowedTypes: ['image/png', 'text/plain'] });
    expect(storedText).to.include({ contentType: 'text/plain', tenantId: countyB });
    expect(atLimit).to.include({ size: 1000 });
    expect(overLimit.status).to.equal(413);
    expect(pdfNowRefused.status).to.equal(400);
    expect(unknownType.status).to.equal(400);
    expect(otherTenant.status).to.equal(404);
    expect(seenByUploader).to.deep.equal(policy);
    expect(cityPolicy).to.include({ custom: false, maxSize: 20 * MEGABYTE });
    const download = await request('b-admin', `/files/${storedText.id}`);
    expect(download.headers.get('content-type')).to.equal('text/plain; charset=utf-8');
    expect(await download.text()).to.equal(text.toString('utf8'));
  });

  it('makes an upright thumbnail of a phone photo stored sideways with an EXIF orientation', async () => {
    // given a 400×200 JPEG whose EXIF says "turn 90° clockwise to show" (orientation 6)
    const photo = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#c33' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const stored = await uploadOne('city-up', photo, 'IMG_0001.JPG');
    // when
    const response = await request('city-up', `/files/${stored.id}/thumbnail`);
    // then
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('image/webp');
    const thumbnail = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(thumbnail).to.include({ format: 'webp', width: 160, height: 320 });
  });

  it('sends a file with its content type, its UTF-8 name and nosniff (images inline, other files as attachments), a file of the full 20 MB too', async () => {
    // given
    const image = await png(800, 600);
    // exactly the default limit: 20 pieces in the database, each under MariaDB's 16 MiB packet
    const document = pdf(20 * MEGABYTE);
    const storedImage = await uploadOne('city-up', image, '现场照片.png');
    const storedPdf = await uploadOne('city-up', document, 'report-final.pdf');
    // when
    const imageResponse = await request('city-reader', `/files/${storedImage.id}`);
    const pdfResponse = await request('city-reader', `/files/${storedPdf.id}`);
    const meta = await api.json(`/files/${storedPdf.id}/meta`, { auth: await auth('city-reader') });
    const noThumbnail = await request('city-reader', `/files/${storedPdf.id}/thumbnail`);
    // then
    expect(imageResponse.headers.get('content-type')).to.equal('image/png');
    expect(imageResponse.headers.get('content-disposition')).to.equal(`inline; filename="____.png"; filename*=UTF-8''${encodeURIComponent('现场照片.png')}`);
    expect(imageResponse.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(imageResponse.headers.get('content-length')).to.equal(String(image.length));
    expect(Buffer.from(await imageResponse.arrayBuffer()).equals(image)).to.equal(true);
    expect(pdfResponse.headers.get('content-type')).to.equal('application/pdf');
    expect(pdfResponse.headers.get('content-disposition')).to.equal('attachment; filename="report-final.pdf"');
    expect(sha256(Buffer.from(await pdfResponse.arrayBuffer()))).to.equal(sha256(document));
    expect(meta).to.include({ id: storedPdf.id, contentType: 'application/pdf', size: document.length, thumbnail: false });
    expect(noThumbnail.status).to.equal(404);
    const chunks = await fixture().engine.database.read((sql) => sql.select('SELECT seq FROM stored_file_chunk WHERE file_id = $1 ORDER BY seq', [storedPdf.id]));
    expect(chunks.map((row) => Number(row.seq))).to.deep.equal([...Array(20).keys()]);
  });

  it("hides a tenant's files from other tenants: 404 for content, thumbnail, description and deletion; missing for reference checks", async () => {
    // given
    const { id } = await uploadOne('city-up', await png(), 'city.png');
    // when
    const answers = await Promise.all([`/files/${id}`, `/files/${id}/thumbnail`, `/files/${id}/meta`].map(async (route) => (await request('a-up', route)).status));
    const deletion = await request('a-up', `/files/${id}`, { method: 'DELETE' });
    // then
    expect(answers).to.deep.equal([404, 404, 404]);
    expect(deletion.status).to.equal(404);
    expect(await readFor('a-up', (session) => fileReferencesExist(session, [id, 'no-such-file']))).to.deep.equal([id, 'no-such-file']);
    expect(await readFor('city-reader', (session) => fileReferencesExist(session, [id, id]))).to.deep.equal([]);
  });

  it('lets the uploader or a holder of file:write delete a file no process variable refers to', async () => {
    // given
    const { engine } = fixture();
    const own = await uploadOne('city-up', await png(), 'a.png');
    const other = await uploadOne('city-up', await png(), 'b.png');
    const referenced = await uploadOne('city-up', await png(), 'c.png');
    const definitionId = await deployProcess(engine, bpmn('photos', `<startEvent id="s"/><userTask id="check"/>${flow('s', 'check')}`));
    await engine.runtimeService.startProcessInstanceById(definitionId, { variables: { photos: [{ id: referenced.id, name: 'c.png' }] } });
    // when
    const byReader = await request('city-reader', `/files/${other.id}`, { method: 'DELETE' });
    const byUploader = await request('city-up', `/files/${own.id}`, { method: 'DELETE' });
    const byColleague = await request('city-up-2', `/files/${other.id}`, { method: 'DELETE' });
    const whileReferenced = await request('city-up', `/files/${referenced.id}`, { method: 'DELETE' });
    // then
    expect(byReader.status).to.equal(403);
    expect(byUploader.status).to.equal(204);
    expect(byColleague.status).to.equal(204);
    expect(whileReferenced.status).to.equal(409);
    expect(((await whileReferenced.json()) as Refusal).message).to.contain('is referenced by 1 process variables');
    expect((await request('city-up', `/files/${own.id}/meta`)).status).to.equal(404);
    const chunks = await engine.database.read((sql) => sql.select('SELECT COUNT(*) AS n FROM stored_file_chunk WHERE file_id = $1', [own.id as string]));
    expect(Number(chunks[0]?.n)).to.equal(0);
  });
});

describeOnDatabases('api/platform - files stored on disk', (fixture) => {
  let directory: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let baseUrl: string;
  const admin = basicAuth('admin', TEST_ADMIN_PASSWORD);

  before(async () => {
    const { engine } = fixture();
    directory = await mkdtemp(path.join(tmpdir(), 'yiwang-files-'));
    const identity = await startIdentity(engine, { adminPassword: TEST_ADMIN_PASSWORD, announce: () => undefined, logger: silentLogger() });
    server = await startServer({ engine, logger: silentLogger(), port: 0, host: '127.0.0.1', version: 'test', ...identity, files: { storage: 'disk', directory } });
    baseUrl = `http://127.0.0.1:${server.port}/api`;
  });

  after(async () => {
    await server?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('keeps the content under the file directory, by tenant and month, not in the database, and removes it with the file', async () => {
    // given
    const document = pdf(2 * MEGABYTE + 5);
    // when
    const uploaded = await fetch(`${baseUrl}/files`, { method: 'POST', headers: { Authorization: admin }, body: form([document, 'plan.pdf']) });
    const [{ id, tenantId }] = (await uploaded.json()) as [StoredFile];
    const month = new Date().toISOString().slice(0, 7).split('-');
    const onDisk = path.join(directory, tenantId, ...month, id);
    const download = await fetch(`${baseUrl}/files/${id}`, { headers: { Authorization: admin } });
    const [row] = await fixture().engine.database.read((sql) => sql.select('SELECT storage, path FROM stored_file WHERE id = $1', [id]));
    const chunks = await fileRows(fixture().engine);
    // then
    expect(uploaded.status).to.equal(201);
    expect(row).to.deep.equal({ storage: 'disk', path: [tenantId, ...month, id].join('/') });
    expect(chunks.chunks).to.equal(0);
    expect((await readFile(onDisk)).equals(document)).to.equal(true);
    expect(sha256(Buffer.from(await download.arrayBuffer()))).to.equal(sha256(document));
    expect(await readdir(path.join(directory, '.incoming'))).to.deep.equal([]);
    // when deleted
    const deleted = await fetch(`${baseUrl}/files/${id}`, { method: 'DELETE', headers: { Authorization: admin } });
    // then
    expect(deleted.status).to.equal(204);
    expect(await stat(onDisk).then(() => 'exists', () => 'gone')).to.equal('gone');
  });

  it('leaves nothing on disk when an upload is refused', async () => {
    // when
    const refused = await fetch(`${baseUrl}/files`, { method: 'POST', headers: { Authorization: admin }, body: form([pdf(1000), 'ok.pdf'], [EXE, 'setup.png']) });
    // then
    expect(refused.status).to.equal(400);
    expect(await readdir(path.join(directory, '.incoming'))).to.deep.equal([]);
    expect((await fileRows(fixture().engine)).files).to.equal(0);
  });
});

