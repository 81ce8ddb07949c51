/**
 * Runs the Ottu Report Trigger's poll() the way an active n8n workflow does: n8n-core's PollContext (mode
 * 'trigger', static data from the Workflow) through TriggersAndPollers.runPollFunction. A `Poller` keeps one
 * Workflow, so static data carries from poll to poll; `restart()` makes a new Workflow with the saved static
 * data, as n8n does when it loads a workflow again.
 */
import { Container } from '@n8n/di';
import { PollContext, TriggersAndPollers } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { OttuReportTrigger } from '../../nodes/OttuReportTrigger/OttuReportTrigger.node';
import { additionalDataFor, nodeTypesWith } from './n8n';

export class Poller {
	private workflow: Workflow;
	private readonly node: INode;

	constructor(
		parameters: IDataObject,
		private readonly credentials: ICredentialDataDecryptedObject,
		staticData: IDataObject = {},
	) {
		this.node = {
			id: 'report-trigger-1',
			name: 'Ottu Report Trigger',
			type: 'n8n-nodes-ottu.ottuReportTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: parameters as INode['parameters'],
			credentials: { ottuApi: { id: 'cred-1', name: 'Ottu Sandbox' } },
		};
		this.workflow = this.build(staticData);
	}

	private build(staticData: IDataObject): Workflow {
		return new Workflow({
			id: 'wf-report-trigger',
			name: 'Report trigger test',
			active: true,
			nodeTypes: nodeTypesWith({ 'n8n-nodes-ottu.ottuReportTrigger': new OttuReportTrigger() }),
			nodes: [this.node],
			connections: {},
			staticData,
		});
	}

	/** One poll; null when the trigger had nothing to emit. */
	async poll(
		mode: WorkflowExecuteMode = 'trigger',
		activation: WorkflowActivateMode = 'activate',
	): Promise<INodeExecutionData[] | null> {
		const context = new PollContext(
			this.workflow,
			this.node,
			additionalDataFor({ ottuApi: this.credentials }),
			mode,
			activation,
		);
		const result = await Container.get(TriggersAndPollers).runPollFunction(
			this.workflow,
			this.node,
			context,
		);
		return result ? result[0] : null;
	}

	/** The trigger's static data as n8n would save it. */
	staticData(): IDataObject {
		return JSON.parse(JSON.stringify(this.workflow.staticData)) as IDataObject;
	}

	/** n8n loads the workflow again (restart, another main process) with the saved static data. */
	restart(): void {
		this.workflow = this.build(this.staticData());
	}
}
