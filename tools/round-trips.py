"""Times single DynamoDB round trips against several endpoints, for comparing emulators.

Usage: python3 tools/round-trips.py NAME=URL [NAME=URL ...]
  e.g. python3 tools/round-trips.py dynalite=http://127.0.0.1:8000 moto=http://127.0.0.1:5000
  (start them with `node tools/dynalite-server.js 8000` and `moto_server -H 127.0.0.1 -p 5000`).

Each endpoint gets a table of its own shaped like the event table (pk string, sk number, a stream
of new images). Then, in 5 measured rounds after one warm-up round, each endpoint in turn takes 100
commit-sized conditional PutItems (attribute_not_exists), each followed by a consistent GetItem of
the item: the endpoints alternate, so load on the machine hits them alike. Prints each endpoint's
median per operation, and the others' medians over the first's. Needs boto3 (in the image's Python).
"""
import os
import statistics
import sys
import time

import boto3
from botocore.config import Config

ROUNDS, PER_ROUND, WARM_UP = 5, 100, 20


def main(arguments):
    if not arguments or any("=" not in argument for argument in arguments):
        sys.exit(__doc__)
    endpoints = dict(argument.split("=", 1) for argument in arguments)
    table = "round-trips-" + str(os.getpid())
    clients = {name: boto3.client("dynamodb", endpoint_url=url, region_name="us-east-1", aws_access_key_id="local",
                                  aws_secret_access_key="local", config=Config(retries={"max_attempts": 1}))
               for name, url in endpoints.items()}
    for client in clients.values():
        client.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
                            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
        client.get_waiter("table_exists").wait(TableName=table)
    puts = {name: [] for name in clients}
    gets = {name: [] for name in clients}
    version = 0
    for round_number in range(ROUNDS + 1):
        for name, client in clients.items():
            for i in range(PER_ROUND if round_number else WARM_UP):
                version += 1
                key = {"pk": {"S": f"account#{i % 10}"}, "sk": {"N": str(version)}}
                started = time.perf_counter()
                client.put_item(TableName=table, Item={**key, "kind": {"S": "commit"}, "events": {"S": "x" * 300}},
                                ConditionExpression="attribute_not_exists(pk)")
                put = time.perf_counter() - started
                started = time.perf_counter()
                client.get_item(TableName=table, Key=key, ConsistentRead=True)
                get = time.perf_counter() - started
                if round_number:
                    puts[name].append(put * 1000)
                    gets[name].append(get * 1000)
    for client in clients.values():
        client.delete_table(TableName=table)
    first = next(iter(clients))
    for name in clients:
        put, get = statistics.median(puts[name]), statistics.median(gets[name])
        line = f"{name}: PutItem p50 {put:.2f} ms, GetItem p50 {get:.2f} ms (n={len(puts[name])} each)"
        if name != first:
            line += (f"; over {first}: PutItem {put / statistics.median(puts[first]):.2f}x,"
                     f" GetItem {get / statistics.median(gets[first]):.2f}x")
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
