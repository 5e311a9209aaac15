import { expect } from 'chai';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { currentPluginItem, groupPluginMenus, unopenable, type PluginMenuEntry } from './entries.js';

const page = { render: () => null };

/** an app's routes as the staff app declares them: a layout holding pages, a redirect, the refusals last */
function appRouter(): Router {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: page, meta: { public: true } },
      {
        path: '/',
        component: page,
        children: [
          { path: '/', redirect: '/inbox/todo' },
          { path: '/inbox/:tab(todo|done)', name: 'inbox', component: page, meta: { permission: ['menu:runtime:inbox', 'task:read'] } },
          { path: '/start', name: 'start', component: page, meta: { permission: 'process:start', acceptsQuery: ['process'] } },
          { path: '/cases', name: 'cases', component: page, meta: { permission: 'instance:read' } },
          { path: '/approvals', alias: '/requests', name: 'approvals', component: page, meta: { permission: 'case-request:approve' } },
          { path: '/forbidden', name: 'forbidden', component: page },
          { path: '/:pathMatch(.*)*', name: 'not-found', component: page },
        ],
      },
    ],
  });
}

const holding = (...held: string[]) => (permission: string | readonly string[] | undefined) =>
  permission === undefined || (typeof permission === 'string' ? [permission] : permission).some((wanted) => held.includes(wanted));

const entry = (plugin: string, key: string, path: string, order: number, zh = key, en = key): PluginMenuEntry => ({
  plugin, pluginTitle: plugin === 'gone' ? null : { 'zh-CN': `${plugin}-中文`, en: `${plugin}-en` }, key, title: { 'zh-CN': zh, en }, path, icon: null, order, permission: null,
});

describe('web-kit menus/entries - which plugin entries an app shows, and how', () => {
  const router = appRouter();

  it('opens a page of the app, its redirects and aliases followed, when the user may see it', () => {
    const all = holding('task:read', 'process:start', 'instance:read', 'case-request:approve');
    expect(unopenable(router, '/inbox/todo', all)).to.equal(null);
    expect(unopenable(router, '/', all), 'the root redirects to the inbox').to.equal(null);
    expect(unopenable(router, '/requests', all), 'an alias is the page').to.equal(null);
    expect(unopenable(router, '/start?process=cc_case', all), 'a query the page reads').to.equal(null);
  });

  it('refuses a path without a page, a query the page does not read, and a page the user may not open', () => {
    const all = holding('task:read', 'process:start', 'instance:read');
    expect(unopenable(router, '/public-reports/satisfaction', all)).to.equal('no-page');
    expect(unopenable(router, '/forbidden', all)).to.equal('no-page');
    expect(unopenable(router, '/cases?process=cc_case', all), 'a page that declares no query parameter').to.equal('query');
    expect(unopenable(router, '/start?process=cc_case&tab=x', all)).to.equal('query');
    expect(unopenable(router, '/approvals', all)).to.equal('permission');
    expect(unopenable(router, '/start', holding('task:read'))).to.equal('permission');
  });

  it('groups the openable entries by plugin under its title in the chosen language, ordered by the manifests\' numbers', () => {
    // given entries of two plugins, out of order, with one the app cannot open
    const entries = [
      entry('public-service', 'ps-satisfaction', '/public-reports/satisfaction', 50),
      entry('command-coordination', 'cc-report', '/start?process=cc_case', 20, '发起上报', 'Report a case'),
      entry('public-service', 'ps-start', '/start', 5, '上报', 'Report'),
      entry('command-coordination', 'cc-inbox', '/inbox/todo', 10, '待办', 'To do'),
      entry('gone', 'old', '/cases', 60),
    ];
    // when
    const groups = groupPluginMenus(entries, { router, locale: 'en', may: holding('task:read', 'process:start', 'instance:read') });
    // then
    expect(groups.map((group) => [group.plugin, group.title, group.items.map((item) => item.title)])).to.deep.equal([
      ['public-service', 'public-service-en', ['Report']],
      ['command-coordination', 'command-coordination-en', ['To do', 'Report a case']],
      ['gone', 'gone', ['old']],
    ]);
    const zh = groupPluginMenus(entries, { router, locale: 'zh-CN', may: holding('task:read', 'process:start', 'instance:read') });
    expect(zh[1]!.title).to.equal('command-coordination-中文');
    expect(zh[1]!.items.map((item) => item.title)).to.deep.equal(['待办', '发起上报']);
    expect(zh[1]!.items[1]).to.deep.include({ id: 'command-coordination/cc-report', menuIndex: 'plugin:command-coordination/cc-report', path: '/start?process=cc_case', fullPath: '/start?process=cc_case' });
  });

  it('knows the entry the current page is: its path and query exactly', () => {
    const groups = groupPluginMenus([entry('command-coordination', 'cc-report', '/start?process=cc_case', 20)], { router, locale: 'zh-CN', may: holding('process:start') });
    expect(currentPluginItem(groups, { fullPath: '/start?process=cc_case' })?.key).to.equal('cc-report');
    expect(currentPluginItem(groups, { fullPath: '/start' })).to.equal(undefined);
  });
});
