import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, useDesigner } from './designer.js';

interface DepartmentNode {
  id: string;
  code: string;
  parentId: string | null;
  children: DepartmentNode[];
}

interface UserDetail {
  id: string;
  displayName: string;
  departments: { id: string; code: string; primary: boolean }[];
}

/** Opens a page through the side menu: the section first when it is closed, then its entry (retried while the section animates). */
async function openFromMenu(page: Page, section: string, path: string): Promise<void> {
  const entry = page.locator(`[data-test="menu-${path}"]`);
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await entry.isVisible())) await page.locator(`[data-test="menu-section-${section}"] > .el-sub-menu__title`).click();
      await entry.click({ timeout: 3_000 });
      await page.waitForURL((url) => url.pathname === `/designer${path}`, { timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 4) throw error;
    }
  }
}

/** A working weekday (Monday–Friday) in the current year, as yyyy-MM-dd. */
function workingWeekday(year: number): string {
  for (let day = new Date(Date.UTC(year, 9, 8)); ; day = new Date(day.getTime() + 86_400_000)) {
    const weekday = day.getUTCDay();
    if (weekday >= 1 && weekday <= 5) return day.toISOString().slice(0, 10);
  }
}

/** What the organisation administrator of these tests may do: the organisation, dictionaries and calendars, nothing of processes or forms. */
const ORG_ADMIN_PERMISSIONS = [
  'menu:org', 'menu:org:tenant', 'menu:org:department', 'menu:org:post', 'menu:org:user', 'menu:org:role', 'menu:org:group', 'menu:org:api-key',
  'menu:designer', 'menu:designer:dictionary', 'menu:designer:calendar',
  'tenant:read', 'tenant:write', 'department:read', 'department:write', 'post:read', 'post:write', 'user:read', 'user:write', 'user:import',
  'role:read', 'role:write', 'permission:read', 'group:read', 'group:write', 'api-key:read', 'api-key:write',
  'dictionary:read', 'dictionary:write', 'calendar:read', 'calendar:write',
];
const ORG_ADMIN = 'orgadmin';
const ORG_ADMIN_PASSWORD = 'Org-Admin-Passw0rd-2';

describe('designer organisation: departments, users, the import report, the working calendar', function () {
  this.slow(30_000);
  const designer = useDesigner({ name: 'organisation' });

  it('lists the pages an organisation administrator may open in the side menu, and only those', async () => {
    const { page, adminApi, origin } = designer();
    // given a user holding a role of the organisation's permissions, their first password changed
    const role = await adminApi<{ id: string }>('/api/admin/roles', { body: { code: 'org-admin', name: '组织管理员', dataScope: 'all', seesDescendants: true, permissions: ORG_ADMIN_PERMISSIONS } });
    await adminApi('/api/admin/users', { body: { id: ORG_ADMIN, displayName: '组织管理员', password: ADMIN_PASSWORD, roleIds: [role.id] } });
    const login = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: ORG_ADMIN, password: ADMIN_PASSWORD }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const changed = await fetch(`${origin}/api/auth/password`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` }, body: JSON.stringify({ currentPassword: ADMIN_PASSWORD, newPassword: ORG_ADMIN_PASSWORD }),
    });
    expect(changed.status).to.equal(204);
    // when
    await designer().signIn(ORG_ADMIN, ORG_ADMIN_PASSWORD);
    // then
    await page.locator('[data-test="menu-section-designer"] > .el-sub-menu__title').click();
    for (const path of ['/dictionaries', '/calendars']) await page.locator(`[data-test="menu-${path}"]`).waitFor();
    expect(await page.locator('[data-test="menu-/processes"]').count()).to.equal(0);
    await page.locator('[data-test="menu-section-org"] > .el-sub-menu__title').click();
    for (const path of ['/org/tenants', '/org/departments', '/org/posts', '/org/users', '/org/roles', '/org/groups', '/org/api-keys']) {
      await page.locator(`[data-test="menu-${path}"]`).waitFor();
    }
    await designer().screenshot('menu');
  });

  it('creates departments, refusing an invalid code before sending, and moves one by dragging it onto another', async () => {
    const { page, adminApi } = designer();
    await openFromMenu(page, 'org', '/org/departments');
    // given a new top department with an invalid code
    await page.locator('[data-test=department-add-root]').click();
    const form = page.locator('[data-test=department-form]');
    await form.locator('input[name=code]').fill('城管 局');
    await form.locator('input[name=name]').fill('城市管理局');
    await page.locator('[data-test=department-save]').click();
    // then the form says what is wrong, beside the field
    await form.locator('.el-form-item__error', { hasText: '1-64 位字母' }).waitFor();
    // when the code is fixed
    await form.locator('input[name=code]').fill('cgj');
    await page.locator('[data-test=department-save]').click();
    // then the tree shows it
    await page.locator('[data-test=department-cgj]').waitFor();
    // and a second top department
    await page.locator('[data-test=department-add-root]').click();
    await form.locator('input[name=code]').fill('zfk');
    await form.locator('input[name=name]').fill('执法科');
    await page.locator('[data-test=department-save]').click();
    await page.locator('[data-test=department-zfk]').waitFor();
    await designer().screenshot('departments');

    // when 执法科 is dragged onto 城市管理局
    await page.locator('[data-test=department-zfk]').dragTo(page.locator('[data-test=department-cgj]'));
    // then the server has it under 城市管理局
    let moved: DepartmentNode | undefined;
    for (let attempt = 0; attempt < 50 && !moved; attempt++) {
      const tree = await adminApi<DepartmentNode[]>('/api/admin/departments');
      moved = tree.find((node) => node.code === 'cgj')?.children.find((child) => child.code === 'zfk');
      if (!moved) await page.waitForTimeout(100);
    }
    expect(moved, 'zfk moved under cgj').to.not.equal(undefined);
    await designer().screenshot('department-moved');
  });

  it('creates a user in a department', async () => {
    const { page, adminApi } = designer();
    await openFromMenu(page, 'org', '/org/users');
    // when
    await page.locator('[data-test=user-create]').click();
    const form = page.locator('[data-test=user-form]');
    await form.locator('input[name=id]').fill('zhangsan');
    await form.locator('input[name=displayName]').fill('张三');
    await form.locator('input[name=password]').fill('Zhangsan-Passw0rd');
    await form.locator('input[name=email]').fill('not-an-address');
    await page.locator('[data-test=user-save]').click();
    // then the e-mail is refused beside its field before anything is sent
    await form.locator('.el-form-item__error', { hasText: '邮箱格式不正确' }).waitFor();
    await form.locator('input[name=email]').fill('zhangsan@example.cn');
    // and the department is chosen in the tree
    await form.locator('[data-test=user-departments]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '执法科' }).click();
    await form.locator('.el-form-item__label', { hasText: '姓名' }).click();
    await designer().screenshot('user-form');
    await page.locator('[data-test=user-save]').click();
    // then the table lists the user, and the server has them in 执法科
    await page.locator('[data-test=user-table] td', { hasText: 'zhangsan' }).first().waitFor();
    const user = await adminApi<UserDetail>('/api/admin/users/zhangsan');
    expect(user.displayName).to.equal('张三');
    expect(user.departments.map((department) => department.code)).to.deep.equal(['zfk']);
    await designer().screenshot('users');
  });

  it('shows the per-row errors of a refused CSV import, importing nobody', async () => {
    const { page, adminApi, allowConsoleErrors } = designer();
    // the browser logs the refused upload itself
    allowConsoleErrors(/400 \(Bad Request\)/);
    // given a sheet with a bad login, a missing name and an unknown department
    const csv = ['账号,姓名,部门编码,初始密码', 'lisi,李四,zfk,Lisi-Passw0rd-1', 'bad login,王五,zfk,Wangwu-Passw0rd-1', 'zhaoliu,,nowhere,Zhaoliu-Passw0rd-1'].join('\n');
    // when
    await page.locator('[data-test=user-import]').click();
    await page.locator('[data-test=import-file]').setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.locator('[data-test=import-start]').click();
    // then every problem is listed with its row
    const report = page.locator('[data-test=import-errors]');
    await report.waitFor();
    const rows = await report.locator('tbody tr').allTextContents();
    expect(rows.some((row) => row.startsWith('3'))).to.equal(true);
    expect(rows.some((row) => row.startsWith('4') && row.includes('nowhere'))).to.equal(true);
    expect(rows.every((row) => !row.startsWith('2'))).to.equal(true);
    await designer().screenshot('import-errors');
    // and nobody was imported
    const { count } = await adminApi<{ count: number }>('/api/admin/users/count?search=lisi');
    expect(count).to.equal(0);
    await page.keyboard.press('Escape');
  });

  it('adds a holiday to the working calendar and previews a due time', async () => {
    const { page, adminApi } = designer();
    await openFromMenu(page, 'designer', '/calendars');
    // given the tenant's own calendar, created by saving the weekly rule
    await page.locator('[data-test=calendar-source]', { hasText: '内置日历' }).waitFor();
    await page.locator('[data-test=calendar-rule-save]').click();
    await page.locator('[data-test=calendar-source]', { hasText: '租户自有日历' }).waitFor();
    // when a holiday on a working weekday is added and saved
    const year = new Date().getFullYear();
    const day = workingWeekday(year);
    await page.locator('[data-test=calendar-day-add]').click();
    const row = page.locator('[data-test=calendar-days] tbody tr').last();
    const dateInput = row.locator('input').first();
    await dateInput.click();
    await dateInput.fill(day);
    await dateInput.press('Enter');
    await row.locator('input').last().fill('测试假日');
    await page.locator('[data-test=calendar-days-save]').click();
    // then the server has it
    let days: { day: string; kind: string; name: string | null }[] = [];
    for (let attempt = 0; attempt < 50 && days.length === 0; attempt++) {
      days = await adminApi(`/api/calendar/days?year=${year}`);
      if (days.length === 0) await page.waitForTimeout(100);
    }
    expect(days).to.deep.equal([{ day, kind: 'holiday', name: '测试假日' }]);
    // and the preview answers when two working days from now fall due
    await page.locator('[data-test=calendar-due-compute]').click();
    await page.locator('[data-test=calendar-due-result]').waitFor();
    await designer().screenshot('calendar');
  });

  it('shows the other organisation and dictionary screens', async () => {
    const { page, adminApi } = designer();
    await adminApi('/api/dictionaries', {
      body: {
        code: 'case-category', name: '案件类别', hierarchical: true,
        items: [
          { code: 'BJ01', label: '市政公用设施', extra: { kind: 'component' } },
          { code: 'BJ01001', label: '供水井盖', parent: 'BJ01', extra: { kind: 'component' } },
          { code: 'SJ01', label: '市容环境', extra: { kind: 'matter' } },
        ],
      },
    });
    await openFromMenu(page, 'designer', '/dictionaries');
    await page.locator('[data-test=dictionary-table] td', { hasText: '案件类别' }).first().click();
    await page.locator('[data-test=item-table] td', { hasText: '市政公用设施' }).first().waitFor();
    await designer().screenshot('dictionaries');

    await openFromMenu(page, 'org', '/org/tenants');
    await page.locator('[data-test=tenant-table] td', { hasText: '100000' }).first().waitFor();
    await designer().screenshot('tenants');

    await openFromMenu(page, 'org', '/org/roles');
    await page.locator('[data-test=role-create]').click();
    await page.locator('[data-test=permission-tree] .el-tree-node__label', { hasText: '组织机构' }).first().waitFor();
    await designer().screenshot('role-form');
    await page.keyboard.press('Escape');

    await openFromMenu(page, 'org', '/org/groups');
    await page.locator('[data-test=group-table]').waitFor();
    await openFromMenu(page, 'org', '/org/posts');
    await page.locator('[data-test=post-table]').waitFor();

    await openFromMenu(page, 'org', '/org/api-keys');
    await page.locator('[data-test=api-key-create]').click();
    await page.locator('[data-test=api-key-form] input[name=name]').fill('巡查系统');
    await page.locator('[data-test=api-key-form]').locator('xpath=ancestor::div[contains(@class,"el-dialog")]').locator('.el-button--primary').click();
    const secret = page.locator('input[data-test=api-key-secret]');
    await secret.waitFor();
    expect(await secret.inputValue()).to.not.equal('');
    await designer().screenshot('api-key-created');
  });
});
