// What the AWS SDK v3 does when it constructs a client on a Node it will stop supporting.
process.emitWarning('NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)\nwill require node >=22.');

exports.handler = async (event) => {
  // Written after the invocation answered: the next invocation gets it.
  setTimeout(() => console.log(`after invocation ${event.n}`), 100);
  return event.n;
};
