'use strict';

// httpApi (payload 2.0): GET /orders/{id}, POST /orders
exports.handler = async (event) => {
  if (event.requestContext.http.method === 'POST') {
    // HTTP API base64-encodes bodies that are not text (a form post, for one).
    const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body;
    const order = JSON.parse(body || '{}');
    return { statusCode: 201, body: JSON.stringify({ id: order.id || 'new', status: 'accepted' }) };
  }
  return { id: event.pathParameters.id, status: 'pending', table: process.env.ORDERS_TABLE };
};

// http (REST, payload 1.0) and the function URL
exports.health = async () => ({ statusCode: 200, body: JSON.stringify({ ok: true }) });
