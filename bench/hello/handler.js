'use strict';

exports.hello = async () => ({ statusCode: 200, body: '{"message":"hello"}' });
