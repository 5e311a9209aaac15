import { expect } from 'chai';
import { BadUserRequestError, ParseError } from '../../errors/index.js';
import { bpmn, countRows, flow, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { camundaForm } from '../../testing/modeler.js';

/** A deploy that must fail: returns the ParseError and proves that no table gained or lost a row. */
describeOnDatabases('services - deploy validation', (fixture) => {
  async function rejectedDeploy(resources: { name: string; content: string }[]): Promise<ParseError> {
    const { engine } = fixture();
    const before = await countRows(engine);
    const error = await rejectionOf(engine.repositoryService.deploy({ name: 'invalid', resources }));
    expect(await countRows(engine)).to.deep.equal(before);
    expect(error).to.be.instanceOf(ParseError);
    expect(error.message).to.match(/^ENGINE-09005 Could not parse BPMN process\./);
    return error as ParseError;
  }

  function problemIds(error: ParseError): (string | null)[] {
    return error.problems.map((p) => p.elementId);
  }

  it('refuses malformed XML, names the resource and writes nothing', async () => {
    // given
    const xml = '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="broken"';
    // when
    const error = await rejectedDeploy([{ name: 'broken.bpmn', content: xml }]);
    // then
    expect(error.problems).to.have.length(1);
    expect(error.problems[0]?.resource).to.equal('broken.bpmn');
    expect(error.problems[0]?.message).to.match(/^The XML is not well-formed BPMN 2\.0/);
    expect(error.message).to.contain("resource 'broken.bpmn'");
  });

  it('refuses a sequence flow that points at a missing element', async () => {
    // given
    const xml = bpmn('dv_dangling', `
      <startEvent id="start"/>${flow('start', 'nowhere', undefined, 'danglingFlow')}
      <endEvent id="end"/>`);
    // when
    const error = await rejectedDeploy([{ name: 'dangling.bpmn', content: xml }]);
    // then
    expect(problemIds(error)).to.include('danglingFlow');
    expect(error.message).to.contain("element 'danglingFlow'");
  });

  it('refuses a gateway without outgoing flows', async () => {
    // given
    const xml = bpmn('dv_gateway', `
      <startEvent id="start"/>${flow('start', 'deadEnd')}
      <exclusiveGateway id="deadEnd"/>`);
    // when
    const error = await rejectedDeploy([{ name: 'gateway.bpmn', content: xml }]);
    // then
    expect(problemIds(error)).to.deep.equal(['deadEnd']);
    expect(error.problems[0]?.message).to.equal("Gateway 'deadEnd' has no outgoing sequence flow");
  });

  it('refuses a script task in an executable process', async () => {
    // given
    const xml = bpmn('dv_script', `
      <startEvent id="start"/>${flow('start', 'script')}
      <scriptTask id="script" scriptFormat="javascript"><script>1 + 1</script></scriptTask>${flow('script', 'end')}
      <endEvent id="end"/>`);
    // when
    const error = await rejectedDeploy([{ name: 'script.bpmn', content: xml }]);
    // then
    expect(problemIds(error)).to.deep.equal(['script']);
    expect(error.problems[0]?.message).to.contain('is not supported');
  });

  it('refuses timers that do not parse, naming each element', async () => {
    // given
    const xml = bpmn('dv_timers', `
      <startEvent id="start"/>${flow('start', 'work')}
      <userTask id="work"/>${flow('work', 'wait')}
      <boundaryEvent id="timeout" attachedToRef="work">
        <timerEventDefinition><timeDuration>PT1X</timeDuration></timerEventDefinition>
      </boundaryEvent>${flow('timeout', 'late')}
      <intermediateCatchEvent id="wait">
        <timerEventDefinition><timeCycle>0 0 25 * * ?</timeCycle></timerEventDefinition>
      </intermediateCatchEvent>${flow('wait', 'end')}
      <endEvent id="end"/><endEvent id="late"/>`);
    // when
    const error = await rejectedDeploy([{ name: 'timers.bpmn', content: xml }]);
    // then
    expect(problemIds(error)).to.have.members(['timeout', 'wait']);
    expect(error.problems.find((p) => p.elementId === 'timeout')?.message).to.contain('PT1X');
  });

  it('refuses a service task that is not an external task', async () => {
    // given
    const xml = bpmn('dv_service', `
      <startEvent id="start"/>${flow('start', 'javaDelegate')}
      <serviceTask id="javaDelegate" camunda:class="org.example.Delegate"/>${flow('javaDelegate', 'end')}
      <endEvent id="end"/>`);
    // when
    const error = await rejectedDeploy([{ name: 'service.bpmn', content: xml }]);
    // then
    expect(problemIds(error)).to.deep.equal(['javaDelegate']);
    expect(error.problems[0]?.message).to.contain('camunda:type="external"');
  });

  it('refuses a condition that is not a valid expression', async () => {
    // given
    const xml = bpmn('dv_condition', `
      <startEvent id="start"/>${flow('start', 'choice')}
      <exclusiveGateway id="choice" default="otherwise"/>
      ${flow('choice', 'end', '${a >}', 'badCondition')}
      <sequenceFlow id="otherwise" sourceRef="choice" targetRef="end"/>
      <endEvent id="end"/>`);
    // when
    const error = await rejectedDeploy([{ name: 'condition.bpmn', content: xml }]);
    // then
    expect(problemIds(error)).to.deep.equal(['badCondition']);
    expect(error.problems[0]?.message).to.contain('${a >}');
  });

  it('refuses an assignee that is not a valid expression', async () => {
    // given
    const xml = bpmn('dv_assignee', `
      <startEvent id="start"/>${flow('start', 'approve')}
      <userTask id="approve" camunda:assignee="\${a >}"/>${flow('approve', 'end')}
      <endEvent id="end"/>`);
    // when
    const error = await rejectedDeploy([{ name: 'assignee.bpmn', content: xml }]);
    // then
    expect(problemIds(error)).to.deep.equal(['approve']);
    expect(error.problems[0]?.message).to.contain('${a >}');
  });

  it('refuses a parallel gateway whose outgoing flows carry conditions', async () => {
    // given
    const xml = bpmn('dv_parallel', `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>
      ${flow('fork', 'left', '${go}', 'conditionalLeft')}
      ${flow('fork', 'right', '${go}', 'conditionalRight')}
      <endEvent id="left"/><endEvent id="right"/>`);
    // when
    const error = await rejectedDeploy([{ name: 'parallel.bpmn', content: xml }]);
    // then
    expect(problemIds(error)).to.have.members(['conditionalLeft', 'conditionalRight']);
    expect(error.problems[0]?.message).to.contain("parallel gateway 'fork'");
  });

  it('refuses a parallel gateway with one conditional outgoing flow and names that flow', async () => {
    // given
    const xml = bpmn('dv_parallel_mixed', `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>
      ${flow('fork', 'left', '${go}', 'conditionalFlow')}
      ${flow('fork', 'right', undefined, 'plainFlow')}
      <endEvent id="left"/><endEvent id="right"/>`);
    // when
    const error = await rejectedDeploy([{ name: 'parallel-mixed.bpmn', content: xml }]);
    // then
    expect(problemIds(error)).to.deep.equal(['conditionalFlow']);
    expect(error.problems[0]?.message).to.contain("parallel gateway 'fork'");
  });

  it('refuses two none start events in one process', async () => {
    // given
    const xml = bpmn('dv_two_starts', `
      <startEvent id="first"/><startEvent id="second"/>
      ${flow('first', 'end')}${flow('second', 'end')}
      <endEvent id="end"/>`);
    // when
    const error = await rejectedDeploy([{ name: 'starts.bpmn', content: xml }]);
    // then
    expect(problemIds(error)).to.deep.equal(['dv_two_starts']);
    expect(error.problems[0]?.message).to.match(/multiple blank start events/);
  });

  it('lists every problem of every resource of a deployment', async () => {
    // given
    const first = bpmn('dv_many_a', `
      <startEvent id="start"/>${flow('start', 'script')}
      <scriptTask id="script"><script>x</script></scriptTask>${flow('script', 'review')}
      <userTask id="review" camunda:assignee="\${a >}"/>${flow('review', 'end')}
      <endEvent id="end"/>`);
    const second = bpmn('dv_many_b', `
      <startEvent id="start"/>${flow('start', 'deadEnd')}
      <inclusiveGateway id="deadEnd"/>`);
    // when
    const error = await rejectedDeploy([
      { name: 'first.bpmn', content: first },
      { name: 'second.bpmn', content: second },
    ]);
    // then
    expect(error.problems.map((p) => `${p.resource}#${p.elementId}`)).to.have.members([
      'first.bpmn#script',
      'first.bpmn#review',
      'second.bpmn#deadEnd',
    ]);
    expect(error.message.split('\n')).to.have.length(4);
  });

  it('refuses one valid resource together with an invalid one: nothing of the valid one is written', async () => {
    // given
    const valid = bpmn('dv_valid_partner', `<startEvent id="start"/>${flow('start', 'end')}<endEvent id="end"/>`);
    const invalid = bpmn('dv_invalid_partner', `<startEvent id="start"/>${flow('start', 'gone', undefined, 'toGone')}`);
    // when
    const error = await rejectedDeploy([
      { name: 'valid.bpmn', content: valid },
      { name: 'invalid.bpmn', content: invalid },
    ]);
    // then
    expect(problemIds(error)).to.include('toGone');
    expect(await fixture().engine.repositoryService.countProcessDefinitions({ key: 'dv_valid_partner' })).to.equal(0);
  });

  it('refuses a deployment without resources and writes nothing', async () => {
    // given
    const { engine } = fixture();
    const before = await countRows(engine);
    // when
    const error = await rejectionOf(engine.repositoryService.deploy({ name: 'empty', resources: [] }));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.equal('A deployment needs at least one resource');
    expect(await countRows(engine)).to.deep.equal(before);
  });

  it('refuses two resources of the same name, which would make the stored XML ambiguous', async () => {
    // given
    const { engine } = fixture();
    const before = await countRows(engine);
    const one = bpmn('dv_same_name_a', `<startEvent id="start"/>${flow('start', 'end')}<endEvent id="end"/>`);
    const other = bpmn('dv_same_name_b', `<startEvent id="start"/>${flow('start', 'end')}<endEvent id="end"/>`);
    // when
    const error = await rejectionOf(engine.repositoryService.deploy({
      name: 'same-names',
      resources: [{ name: 'process.bpmn', content: one }, { name: 'process.bpmn', content: other }],
    }));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.contain("'process.bpmn'");
    expect(await countRows(engine)).to.deep.equal(before);
  });

  it('skips non-executable processes and deploys the executable one beside them', async () => {
    // given: the non-executable pool holds a script task, which an executable process may not
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="dv_pools" targetNamespace="http://yiwang.test">
  <process id="dv_documentation_only" isExecutable="false">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="script"/>
    <scriptTask id="script"><script>never run</script></scriptTask><sequenceFlow id="f2" sourceRef="script" targetRef="e"/>
    <endEvent id="e"/>
  </process>
  <process id="dv_runnable" isExecutable="true">
    <startEvent id="s2"/><sequenceFlow id="f3" sourceRef="s2" targetRef="e2"/><endEvent id="e2"/>
  </process>
</definitions>`;
    // when
    const result = await fixture().engine.repositoryService.deploy({ name: 'pools', resources: [{ name: 'pools.bpmn', content: xml }] });
    // then
    expect(result.deployedProcessDefinitions.map((d) => d.key)).to.deep.equal(['dv_runnable']);
    expect(await fixture().engine.repositoryService.countProcessDefinitions({ key: 'dv_documentation_only' })).to.equal(0);
  });

  it('stores a deployment whose only process is not executable, without a definition', async () => {
    // given
    const xml = bpmn('dv_not_executable', `<startEvent id="start"/>${flow('start', 'end')}<endEvent id="end"/>`).replace(
      'isExecutable="true"',
      'isExecutable="false"',
    );
    // when
    const result = await fixture().engine.repositoryService.deploy({ name: 'sketch', resources: [{ name: 'sketch.bpmn', content: xml }] });
    // then
    expect(result.deployedProcessDefinitions).to.deep.equal([]);
    expect((await fixture().engine.repositoryService.getResource(result.deployment.id, 'sketch.bpmn')).toString('utf8')).to.equal(xml);
  });

  it('skips a non-executable process that would not pass validation', async () => {
    // given
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="dv_loose" targetNamespace="http://yiwang.test">
  <process id="dv_loose_notes" isExecutable="false"><task id="justANote"/></process>
  <process id="dv_loose_runnable" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="e"/><endEvent id="e"/>
  </process>
</definitions>`;
    // when
    const result = await fixture().engine.repositoryService.deploy({ name: 'loose', resources: [{ name: 'loose.bpmn', content: xml }] });
    // then
    expect(result.deployedProcessDefinitions.map((d) => d.key)).to.deep.equal(['dv_loose_runnable']);
  });

  it('stores a form beside the BPMN as deployed, and makes it a form version', async () => {
    // given
    const form = camundaForm('dv_amount', ['amount']);
    // when
    const result = await fixture().engine.repositoryService.deploy({
      name: 'with-form',
      resources: [
        { name: 'dv_with_form.bpmn', content: bpmn('dv_with_form', `<startEvent id="start"/>${flow('start', 'end')}<endEvent id="end"/>`) },
        { name: 'amount.form', content: form },
      ],
    });
    // then
    expect(result.deployedProcessDefinitions.map((d) => d.key)).to.deep.equal(['dv_with_form']);
    expect((await fixture().engine.repositoryService.getResource(result.deployment.id, 'amount.form')).toString('utf8')).to.equal(form);
    const [version] = await fixture().engine.formService.listFormVersions('dv_amount');
    expect(version).to.include({ key: 'dv_amount', version: 1, name: 'amount', deploymentId: result.deployment.id, tenantId: null });
  });

  it('refuses a deployment whose form is broken, naming the resource, and writes nothing', async () => {
    // given
    const { engine } = fixture();
    const before = await countRows(engine);
    const broken = JSON.stringify({ components: [{ key: 'amount', type: 'number' }] });
    // when
    const error = await rejectionOf(engine.repositoryService.deploy({
      name: 'broken-form',
      resources: [
        { name: 'dv_broken_form.bpmn', content: bpmn('dv_broken_form', `<startEvent id="start"/>${flow('start', 'end')}<endEvent id="end"/>`) },
        { name: 'amount.form', content: broken },
      ],
    }));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.contain("'amount.form'").and.to.contain('has no id');
    expect(await countRows(engine)).to.deep.equal(before);
  });
});
