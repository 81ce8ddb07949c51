/**
 * Keeps `npm test` quiet: n8n's engine logs every error a node raises (through its DI Logger and LoggerProxy),
 * and many tests raise errors on purpose. The tests assert those errors themselves.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy } from 'n8n-workflow';

const silent = {
	error() {},
	warn() {},
	info() {},
	debug() {},
	verbose() {},
	scoped() {
		return silent;
	},
};

Container.set(Logger, silent as unknown as Logger);
LoggerProxy.init(silent);
