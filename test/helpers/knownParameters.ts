import type {
	IDataObject,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
} from 'n8n-workflow';

/**
 * The parameter names a node accepts at each level, merged over every operation: the top level, a
 * collection's options, a fixedCollection's groups and their values. n8n drops a parameter it does not
 * know without a word, so a test that sets a misspelt or renamed one would test the default instead.
 */
interface Level {
	[name: string]: Level;
}

type Option = INodeProperties | INodePropertyCollection | INodePropertyOptions;

function addTo(level: Level, options: readonly Option[]): Level {
	for (const option of options) {
		if (!('name' in option) || typeof option.name !== 'string') continue;
		const child = (level[option.name] ??= {});
		if ('values' in option && Array.isArray(option.values)) addTo(child, option.values);
		if ('type' in option && (option.type === 'collection' || option.type === 'fixedCollection'))
			addTo(child, (option.options ?? []) as Option[]);
	}
	return level;
}

function unknownIn(value: unknown, level: Level, path: string, out: string[]): void {
	if (Array.isArray(value)) {
		value.forEach((entry, i) => unknownIn(entry, level, `${path}[${i}]`, out));
		return;
	}
	if (value === null || typeof value !== 'object') return;
	for (const [key, inner] of Object.entries(value as IDataObject)) {
		const child = level[key];
		const at = path ? `${path}.${key}` : key;
		if (child === undefined) out.push(at);
		else if (Object.keys(child).length > 0) unknownIn(inner, child, at, out);
	}
}

/** The paths of the parameters the node does not have, e.g. ["session_id", "additionalFields.customer_email"]. */
export function unknownParameters(
	properties: INodeProperties[],
	parameters: IDataObject,
): string[] {
	const out: string[] = [];
	unknownIn(parameters, addTo({}, properties), '', out);
	return out;
}
