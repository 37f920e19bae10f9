'use strict';

// EventBridge: the result goes to destinations.onSuccess (the notifyCustomer function).
exports.handler = async (event) => ({ orderId: event.detail.orderId, status: 'shipped' });
