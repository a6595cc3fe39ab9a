#!/usr/bin/python3
"""Forwards bytes between two serial ports (pty ends) and damages slave responses.

Between the master's line and the slave's line: every request from the master starts a new response;
in the first --corrupt responses (-1: all of them) the byte at offset 3 is inverted, which lands in the
data (or, in a 5-byte exception frame, the CRC), so the frame still has the right length but fails
its CRC. Prints "ready" once both ports are open and "corrupted N" after each damaged response.
"""
import argparse
import os
import select
import sys
import tty


def open_raw(path):
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    return fd


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--master-side", required=True, help="port the Modbus master's line ends in")
    parser.add_argument("--slave-side", required=True, help="port the Modbus slave's line ends in")
    parser.add_argument("--corrupt", type=int, default=1)
    args = parser.parse_args()

    master = open_raw(args.master_side)
    slave = open_raw(args.slave_side)
    remaining = args.corrupt
    corrupted = 0
    response_offset = 0
    corrupt_this_response = False
    print("ready", flush=True)
    while True:
        readable, _, _ = select.select([master, slave], [], [])
        if master in readable:
            request = os.read(master, 512)
            if not request:
                return
            response_offset = 0
            corrupt_this_response = remaining != 0
            os.write(slave, request)
        if slave in readable:
            data = bytearray(os.read(slave, 512))
            if not data:
                return
            for i in range(len(data)):
                if corrupt_this_response and response_offset == 3:
                    data[i] ^= 0xFF
                    corrupt_this_response = False
                    if remaining > 0:
                        remaining -= 1
                    corrupted += 1
                    print("corrupted " + str(corrupted), flush=True)
                response_offset += 1
            os.write(master, bytes(data))


if __name__ == "__main__":
    sys.exit(main())
