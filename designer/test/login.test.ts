import { expect } from 'chai';
import { useDesigner } from './designer.js';

describe('designer login: a password to change first, a locked account', function () {
  this.slow(20_000);
  const designer = useDesigner({ name: 'login' });

  async function submitLogin(user: string, password: string): Promise<void> {
    const { page, baseUrl } = designer();
    await page.goto(`${baseUrl}/login`);
    await page.locator('input[name=username]').fill(user);
    await page.locator('input[name=password]').fill(password);
    await page.locator('[data-test=login-submit]').click();
  }

  it('has a new user choose a password before anything else, with the policy’s refusal beside the field', async () => {
    const { page, adminApi, allowConsoleErrors } = designer();
    // the browser logs the refused weak password (400) itself
    allowConsoleErrors(/400 \(Bad Request\)/);
    // given a user whose password an administrator set
    await adminApi('/api/admin/users', { body: { id: 'zhang.san', displayName: '张三', password: 'Initial-Passw0rd' } });
    // when
    await submitLogin('zhang.san', 'Initial-Passw0rd');
    // then
    await page.locator('[data-test=must-change]').waitFor();
    await designer().screenshot('must-change');
    // a password the policy refuses
    const form = page.locator('[data-test=change-password]');
    await form.locator('input[name=newPassword]').fill('abcdefghijkl');
    await form.locator('input[name=confirm]').fill('abcdefghijkl');
    await form.locator('button[type=submit]').click();
    const refusal = form.locator('.el-form-item.is-error .el-form-item__error');
    await refusal.waitFor();
    expect(await refusal.textContent()).to.contain('密码');
    await designer().screenshot('weak-password-refused');
    // a good one
    await form.locator('input[name=newPassword]').fill('Chosen-Passw0rd-1');
    await form.locator('input[name=confirm]').fill('Chosen-Passw0rd-1');
    await form.locator('button[type=submit]').click();
    await page.locator('[data-test=home]').waitFor();
    expect(await page.locator('[data-test=user-button]').textContent()).to.contain('张三');
    await designer().screenshot('home-after-change');
  });

  it('says plainly that an account is locked after too many wrong passwords', async () => {
    const { page, origin, adminApi, allowConsoleErrors } = designer();
    allowConsoleErrors(/423 \(Locked\)/);
    // given a user who failed five times
    await adminApi('/api/admin/users', { body: { id: 'li.si', displayName: '李四', password: 'Initial-Passw0rd' } });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const answer = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'li.si', password: 'wrong' }) });
      expect(answer.status).to.be.oneOf([401, 423]);
    }
    // when the right password comes too late
    await submitLogin('li.si', 'Initial-Passw0rd');
    // then
    const error = page.locator('[data-test=login-error]');
    await error.waitFor();
    const text = await error.textContent();
    expect(text).to.contain('账户已锁定');
    await designer().screenshot('locked');
  });
});
