exports.sleeper = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, event.ms));
  return { slept: event.ms };
};

exports.thrower = async () => {
  const error = new Error('order 42 is invalid');
  error.name = 'OrderError';
  throw error;
};

exports.callback = (event, context, callback) => callback(null, 'never on nodejs24.x');

exports.contextKeys = async (event, context) => Object.keys(context).sort();
