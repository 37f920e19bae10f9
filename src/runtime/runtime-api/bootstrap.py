"""
serverless-emulate's Python runtime: runs a Python handler behind the AWS Lambda Runtime API
(AWS_LAMBDA_RUNTIME_API), the way AWS's Python runtime interface client (awslambdaric) does: the same
handler lookup, context object, error documents and log lines. Standard library only; Python 3.8+.
"""

import decimal
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

RUNTIME_PATH = "/2018-06-01/runtime"


class FaultException(Exception):
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace


class RuntimeClient(object):
    """A keep-alive HTTP client of the Runtime API; exits the process when the API is gone."""

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.host = host
        self.port = int(port)
        self.connection = None

    def request(self, method, path, body=None, headers=None):
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.host, self.port)
                self.connection.request(method, RUNTIME_PATH + path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                return response, response.read()
            except (OSError, http.client.HTTPException):
                self.connection = None
                if attempt == 2:
                    # The emulator is gone: nothing more will come.
                    os._exit(1)

    def next(self):
        response, body = self.request("GET", "/invocation/next")
        if response.status != 200:
            sys.stderr.write("Runtime API /invocation/next failed: %s %r\n" % (response.status, body))
            sys.stderr.flush()
            os._exit(1)
        return response, body

    def post_response(self, invoke_id, body, content_type):
        self.request(
            "POST",
            "/invocation/%s/response" % invoke_id,
            body,
            {"Content-Type": content_type},
        )

    def post_error(self, invoke_id, error):
        self.request(
            "POST",
            "/invocation/%s/error" % invoke_id,
            to_json(error).encode("utf-8"),
            {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": "Unhandled"},
        )

    def post_init_error(self, error):
        self.request(
            "POST",
            "/init/error",
            to_json(error).encode("utf-8"),
            {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error["errorType"]},
        )


class Encoder(json.JSONEncoder):
    def default(self, obj):
        # awslambdaric (simplejson) writes a Decimal as its exact number; the standard library cannot,
        # so an integral Decimal becomes an int and any other a float.
        if isinstance(obj, decimal.Decimal):
            return int(obj) if obj == obj.to_integral_value() else float(obj)
        return super().default(obj)


def to_json(obj):
    return json.dumps(obj, cls=Encoder)


# What Lambda's Python runtimes provide besides the standard library (in /var/runtime).
PROVIDED_PACKAGES = ("boto3", "botocore")


def provided_sdk_hint(error):
    """What to do when the missing module is the SDK the Python runtime provides on AWS."""
    name = (getattr(error, "name", None) or "").split(".")[0]
    if name not in PROVIDED_PACKAGES:
        return ""
    return (
        "\n{} is provided by the Lambda Python runtime on AWS, but this interpreter ({}) has no copy of it:"
        " install it ({} -m pip install boto3) or add it to the project".format(name, sys.executable, sys.executable)
    )


def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(
            FaultException.MALFORMED_HANDLER_NAME,
            "Bad handler '{}': {}".format(handler, str(e)),
        )
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                FaultException.BUILT_IN_MODULE_CONFLICT,
                "Cannot use built-in module {} as a handler module".format(modname),
            )
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(
            FaultException.IMPORT_MODULE_ERROR,
            "Unable to import module '{}': {}{}".format(modname, str(e), provided_sdk_hint(e)),
        )
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            FaultException.USER_CODE_SYNTAX_ERROR,
            "Syntax error in module '{}': {}".format(modname, str(e)),
            trace,
        )
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(
            FaultException.HANDLER_NOT_FOUND,
            "Handler '{}' missing on module '{}'".format(fname, modname),
        )


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def user_traceback(tb):
    """The traceback without this file's own leading frames, as awslambdaric trims it."""
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i in range(len(frames)):
        if "/bootstrap.py" not in frames[i][0]:
            return traceback.format_list(frames[i:])
    return traceback.format_list(frames)


def fault_result(exc_info, invoke_id=None):
    etype, value, tb = exc_info
    return make_error(str(value), etype.__name__, user_traceback(tb), invoke_id)


def log_error(error):
    """awslambdaric's text-format error log, one line per line here (AWS joins them with \\r)."""
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        if error.get("errorType"):
            description += ":"
        description += " " + error["errorMessage"]
    lines = [description]
    if error.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in error["stackTrace"]:
            lines.extend(element.splitlines() if element else [""])
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()


class CognitoIdentity(object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client(object):
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext(object):
    __slots__ = ["custom", "env", "client"]


def make_obj_from_dict(cls, values):
    if values is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, values.get(field))
    return obj


class LambdaContext(object):
    def __init__(self, invoke_id, client_context, cognito_identity, epoch_deadline_time_in_ms, invoked_function_arn):
        self.aws_request_id = invoke_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        # A string, as in AWS's runtime (it reads the environment variable).
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = None
        self.client_context = make_obj_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = make_obj_from_dict(Client, self.client_context.client)
        self.identity = make_obj_from_dict(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")
        self._epoch_deadline_time_in_ms = epoch_deadline_time_in_ms

    def get_remaining_time_in_millis(self):
        delta_ms = self._epoch_deadline_time_in_ms - int(time.time() * 1000)
        return delta_ms if delta_ms > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))
        sys.stdout.flush()


def parse_json_header(value, name):
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException(
            FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR,
            "Unable to parse {} JSON: {}".format(name, str(e)),
        )


_REQUEST_ID = {"current": ""}


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _REQUEST_ID["current"]
        return True


def setup_logging():
    """The root logger's handler of awslambdaric: `[LEVEL]\\t<time>Z\\t<request id>\\t<message>`."""
    logging.Formatter.converter = time.gmtime
    handler = logging.StreamHandler(sys.stdout)
    handler.terminator = "\n"
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
    if level in logging._nameToLevel:
        root.setLevel(level)
    root.addHandler(handler)


def handle(client, request_handler, response, body):
    invoke_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
    _REQUEST_ID["current"] = invoke_id
    trace_id = response.getheader("Lambda-Runtime-Trace-Id")
    if trace_id is not None:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    elif "_X_AMZN_TRACE_ID" in os.environ:
        del os.environ["_X_AMZN_TRACE_ID"]
    error = None
    try:
        client_context = response.getheader("Lambda-Runtime-Client-Context")
        cognito_identity = response.getheader("Lambda-Runtime-Cognito-Identity")
        context = LambdaContext(
            invoke_id,
            parse_json_header(client_context, "Client Context") if client_context else None,
            parse_json_header(cognito_identity, "Cognito Identity") if cognito_identity else None,
            int(response.getheader("Lambda-Runtime-Deadline-Ms") or 0),
            response.getheader("Lambda-Runtime-Invoked-Function-Arn"),
        )
        content_type = response.getheader("Content-Type")
        if content_type == "application/json":
            try:
                event = json.loads(body)
            except Exception as e:
                raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(str(e)))
        else:
            event = body
        result = request_handler(event, context)
        if isinstance(result, bytes):
            payload, result_type = result, "application/unknown"
        else:
            try:
                payload, result_type = to_json(result).encode("utf-8"), "application/json"
            except Exception as e:
                raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: {}".format(str(e)))
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace, invoke_id)
    except Exception:
        error = fault_result(sys.exc_info(), invoke_id)
    if error is not None:
        log_error(error)
        client.post_error(invoke_id, error)
    else:
        client.post_response(invoke_id, payload, result_type)


def main():
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    # Replace this file's directory at the head of sys.path with the task root, as in AWS (/var/task).
    sys.path[0] = task_root
    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    setup_logging()
    try:
        request_handler = get_handler(os.environ.get("_HANDLER", ""))
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace)
        log_error(error)
        client.post_init_error(error)
        sys.exit(1)
    except Exception:
        error = fault_result(sys.exc_info())
        log_error(error)
        client.post_init_error(error)
        sys.exit(1)
    while True:
        response, body = client.next()
        handle(client, request_handler, response, body)


if __name__ == "__main__":
    main()
