import sys


def handler(event, context):
    return {"version": "%d.%d" % sys.version_info[:2]}
