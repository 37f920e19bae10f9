import { HTTP_INTEGRATION_CONTENT_TYPE } from '../../runtime/node/response-stream';
import { urlResponses } from './gateway-responses';
import { preludeOf, PreludeStream, type PreludeFormat } from './prelude-stream';

/**
 * A RESPONSE_STREAM function URL's answer as the function writes it (the Lambda service's side of
 * https://docs.aws.amazon.com/lambda/latest/dg/config-rs-invoke-furls.html): a stream of the
 * http-integration type starts with its prelude, `{statusCode, headers, cookies}`, which becomes the
 * status, headers and cookies; any other stream is a 200 with the stream's content type, and one that
 * wrote nothing a 200 without a body. A prelude that is not that JSON is the URL's 502, as a malformed
 * buffered result is.
 */
const URL_PRELUDE: PreludeFormat = {
  headWithout: (contentType) =>
    contentType === HTTP_INTEGRATION_CONTENT_TYPE
      ? undefined
      : { statusCode: 200, headers: { 'content-type': contentType } },
  read(bytes) {
    const prelude = preludeOf(bytes);
    if (!prelude) return undefined;
    const { statusCode, headers, cookies } = prelude;
    return { statusCode, headers: cookies.length > 0 ? { ...headers, 'set-cookie': cookies } : headers };
  },
  maxBytes: Infinity,
  refused: urlResponses.functionError,
  empty: { statusCode: 200, headers: {} },
};

export const urlStream = () => new PreludeStream(URL_PRELUDE);
