import { expect } from 'chai';
import { compileExpression, variablesOf } from './index.js';

function run(source: string): unknown {
  return compileExpression(source).evaluate(variablesOf({}));
}

describe('expression > el > literals', () => {
  it('reads booleans and null', () => {
    expect(run('${true}')).to.equal(true);
    expect(run('${false}')).to.equal(false);
    expect(run('${null}')).to.equal(null);
  });

  it('reads integers and decimals in every form', () => {
    expect(run('${42}')).to.equal(42);
    expect(run('${0}')).to.equal(0);
    expect(run('${1.5}')).to.equal(1.5);
    expect(run('${.5}')).to.equal(0.5);
    expect(run('${2.}')).to.equal(2);
    expect(run('${1e3}')).to.equal(1000);
    expect(run('${2.5E-1}')).to.equal(0.25);
  });

  it('reads single- and double-quoted strings', () => {
    expect(run("${'hello'}")).to.equal('hello');
    expect(run('${"hello"}')).to.equal('hello');
    expect(run("${''}")).to.equal('');
  });

  it('unescapes quotes and backslashes', () => {
    expect(run("${'it\\'s'}")).to.equal("it's");
    expect(run('${"say \\"hi\\""}')).to.equal('say "hi"');
    expect(run("${'a\\\\b'}")).to.equal('a\\b');
    // the other quote needs no escape, and an unknown escape keeps its backslash
    expect(run(`\${'say "hi"'}`)).to.equal('say "hi"');
    expect(run("${'a\\nb'}")).to.equal('a\\nb');
  });

  it('keeps a closing brace inside a string literal', () => {
    expect(run("${'}'}")).to.equal('}');
    expect(run("a${'{}'}b")).to.equal('a{}b');
  });

  it('accepts #{...} like ${...}', () => {
    expect(run('#{1 + 1}')).to.equal(2);
  });

  it('ignores whitespace inside the braces', () => {
    expect(run('${  \n 7\t}')).to.equal(7);
  });
});
