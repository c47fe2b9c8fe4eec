// Starts GraphiQL against this server's /graphql (same origin, so the page works offline and behind any host name).
(function () {
  'use strict';

  var endpoint = '/graphql';

  // GraphQL over HTTP: POST JSON, prefer application/graphql-response+json. Request errors come back as 4xx with a
  // GraphQL error body, which GraphiQL shows like any other result.
  function fetcher(params, options) {
    var headers = Object.assign({
      'Content-Type': 'application/json',
      'Accept': 'application/graphql-response+json, application/json;q=0.9'
    }, options && options.headers);
    if (!hasKey(headers)) {
      // No key typed yet: say what to do instead of sending a request the server can only refuse.
      return Promise.resolve({ errors: [{
        message: 'Type your API key into the Headers pane ({"Authorization": "Bearer KEY"}), then re-fetch the schema (Shift-Ctrl-R).',
        extensions: { code: 'UNAUTHENTICATED' }
      }] });
    }
    return fetch(endpoint, { method: 'POST', headers: headers, body: JSON.stringify(params) })
      .then(function (response) { return response.json(); });
  }

  var placeholder = 'PASTE-YOUR-API-KEY';

  // Whether the headers carry a key other than the placeholder (Authorization: Bearer KEY, or X-Api-Key: KEY).
  function hasKey(headers) {
    return Object.keys(headers).some(function (name) {
      var lower = name.toLowerCase();
      var value = String(headers[name] || '').replace(/^bearer\s+/i, '').trim();
      return (lower === 'authorization' || lower === 'x-api-key') && value !== '' && value !== placeholder;
    });
  }

  var defaultQuery = [
    '# GraphRouter: which LLM should answer this user\'s query?',
    '# /graphql needs an API key: put yours in the Headers pane below, then re-fetch the',
    '# schema (the ↻ button, Shift-Ctrl-R). The page keeps it only in memory.',
    '# Run the query with the ▶ button (Ctrl-Enter); the Docs pane lists every type.',
    '{',
    '  route(input: { userId: "demo-user", query: "Write a haiku about routers" }) {',
    '    model',
    '    ranking { model probability expectedCostUsd utility }',
    '    userKnown',
    '    policyVersion',
    '    explanation',
    '  }',
    '}',
    ''
  ].join('\n');

  // The key travels in a header the user types into GraphiQL's headers editor; nothing is baked into the page.
  var defaultHeaders = '{\n  "Authorization": "Bearer ' + placeholder + '"\n}';

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: defaultQuery,
    defaultHeaders: defaultHeaders,
    defaultEditorToolsVisibility: 'headers',
    shouldPersistHeaders: false
  }));
})();
