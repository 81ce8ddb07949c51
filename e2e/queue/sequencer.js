// The queue suite's files run in name order (1-…, 2-…): the crash test, which replaces workers, goes last (after
// 5-reportBacklog, which restarts main and needs the original workers).
const Sequencer = require('@jest/test-sequencer').default;

class ByName extends Sequencer {
	sort(tests) {
		return [...tests].sort((a, b) => a.path.localeCompare(b.path));
	}
}

module.exports = ByName;
