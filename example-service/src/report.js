'use strict';

exports.handler = async (event) => {
  console.log(`nightly report for ${event.time}`);
};
