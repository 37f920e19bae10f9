'use strict';

// The REST API's TOKEN authorizer of POST /orders/import: API Gateway passes the Authorization header
// as authorizationToken and evaluates the policy returned against the request's methodArn.
exports.handler = async (event) => {
  if (event.authorizationToken !== 'Bearer importer') throw new Error('Unauthorized'); // 401
  return {
    principalId: 'importer',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
    // Reaches importOrders as event.requestContext.authorizer (REST: values as strings).
    context: { role: 'importer' },
  };
};
