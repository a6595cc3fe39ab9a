#!/usr/bin/python3
"""A Modbus RTU slave that looks like an Eastron SDM meter to the tests.

Serves float32 input registers (function 0x04, high word first) with Debian's python3-pymodbus
(written for the 3.0 API in bookworm). Registers that are not given answer exception 02
(illegal data address); requests for other slave ids get no answer, as on a real RS-485 line.
Prints "ready" once the serial port is open, then serves until killed.
"""
import argparse
import asyncio
import struct
import sys

from pymodbus.datastore import ModbusServerContext, ModbusSlaveContext, ModbusSparseDataBlock
from pymodbus.server import StartAsyncSerialServer
from pymodbus.transaction import ModbusRtuFramer


def parse_registers(items):
    registers = {}
    for item in items:
        address_text, value_text = item.split("=", 1)
        address = int(address_text, 0)
        high, low = struct.unpack(">HH", struct.pack(">f", float(value_text)))
        registers[address] = high
        registers[address + 1] = low
    return registers


async def serve(args):
    block = ModbusSparseDataBlock(parse_registers(args.float))
    # zero_mode: request address N is register N (pymodbus otherwise adds 1).
    slave = ModbusSlaveContext(ir=block, zero_mode=True)
    context = ModbusServerContext(slaves={args.slave: slave}, single=False)
    server = await StartAsyncSerialServer(
        context=context,
        framer=ModbusRtuFramer,
        port=args.port,
        baudrate=args.baud,
        ignore_missing_slaves=True,
        defer_start=True,
    )
    await server.start()
    if server.transport is None:
        print("could not open " + args.port, file=sys.stderr, flush=True)
        sys.exit(2)
    print("ready", flush=True)
    await server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", required=True)
    parser.add_argument("--slave", type=int, default=1)
    parser.add_argument("--baud", type=int, default=9600)
    parser.add_argument("--float", action="append", default=[], metavar="ADDRESS=VALUE",
                        help="a float32 at input registers ADDRESS and ADDRESS+1")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
