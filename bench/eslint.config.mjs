// ESLint's side of the benchmark: a flat config whose `no-restricted-syntax` selectors match what
// keepalive-lint's recognisers look at (client-module imports and requires, client constructions and
// factory calls, keepalive options, keepalive/timeout/ping calls), over the same TS/JS files:
// @typescript-eslint/parser for TypeScript, espree for JavaScript. Syntax only, as ESLint can do
// without type information: it cannot tell an unsafe client from a safe one, so it is a lower
// bound on what the same analysis would cost as ESLint rules.
import tsParser from '@typescript-eslint/parser';

const MODULES = String.raw`/^(node:)?(net|tls|http|https|http2|undici|agentkeepalive|got|@grpc\u002Fgrpc-js|ws|pg|mysql2|ioredis|redis|@redis\u002Fclient|mongodb)(\u002F.*)?$/`;
const CLASSES = '/^(Agent|HttpsAgent|Pool|Client|Socket|WebSocket|Redis|Cluster|MongoClient|Channel|ClientHttp2Session)$/';
const FACTORIES = '/^(connect|createConnection|createPool|createClient|createCluster|request|get)$/';
const OPTIONS = '/^(keepAlive|keepAliveMsecs|keepAliveInitialDelay|keepAliveTimeout|idleTimeoutMillis|idleTimeout|freeSocketTimeout|enableKeepAlive|socketTimeout|pingInterval)$/';
const CALLS = '/^(setKeepAlive|setTimeout|ping|setNoDelay)$/';

const selectors = [
  `ImportDeclaration[source.value=${MODULES}]`,
  `ImportExpression[source.value=${MODULES}]`,
  `CallExpression[callee.name='require'][arguments.0.value=${MODULES}]`,
  `TSImportEqualsDeclaration[moduleReference.expression.value=${MODULES}]`,
  `NewExpression[callee.name=${CLASSES}]`,
  `NewExpression[callee.property.name=${CLASSES}]`,
  `CallExpression[callee.property.name=${FACTORIES}]`,
  `CallExpression[callee.name=${FACTORIES}]`,
  `Property[key.name=${OPTIONS}]`,
  `CallExpression[callee.property.name=${CALLS}]`,
].map((selector) => ({ selector, message: 'keepalive-lint equivalent' }));

const rules = { 'no-restricted-syntax': ['warn', ...selectors] };

export default [
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.jsx'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
    rules,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' },
    rules,
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    ignores: ['**/*.d.ts', '**/*.d.mts', '**/*.d.cts'],
    languageOptions: { parser: tsParser, sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
    rules,
  },
];
