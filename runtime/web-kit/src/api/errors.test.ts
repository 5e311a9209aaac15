import { expect } from 'chai';
import { ApiError, parseSchemaProblems } from './errors.js';

describe('web-kit api/errors - the server’s field problems', () => {
  it('reads the fields of an ajv refusal as the engine words it', () => {
    // given
    const message = "Invalid request body: request body 'name' must NOT have fewer than 1 characters; request body 'code' is required; unknown request body 'extra'";
    // then
    expect(parseSchemaProblems(message)).to.deep.equal([
      { field: 'name', message: 'must NOT have fewer than 1 characters' },
      { field: 'code', message: 'is required' },
      { field: 'extra', message: "unknown request body 'extra'" },
    ]);
  });

  it('reads nested paths and query parameters, and nothing from other messages', () => {
    expect(parseSchemaProblems("Invalid query parameter: query parameter 'maxResults' must be <= 1000")).to.deep.equal([{ field: 'maxResults', message: 'must be <= 1000' }]);
    expect(parseSchemaProblems("Invalid request body: request body 'address.street' is required")).to.deep.equal([{ field: 'address.street', message: 'is required' }]);
    expect(parseSchemaProblems('编码已存在 (the code exists)')).to.deep.equal([]);
  });

  it('takes a form validation’s listed errors, and only from a 400', () => {
    const body = { type: 'BadUserRequestException', message: '表单校验未通过', errors: [{ field: 'items[0].name', label: '名称', rule: 'required', message: '必填' }] };
    expect(new ApiError(400, body.type, body.message, body).fieldProblems).to.deep.equal([{ field: 'items[0].name', message: '必填' }]);
    expect(new ApiError(409, 'ConflictException', "Invalid request body: request body 'x' is required").fieldProblems).to.deep.equal([]);
  });
});
