#!/usr/bin/env bash
# Checks that every external peer the test suite starts is present and can run: the binaries the
# tests execute (by the paths they use) and every Python module the Modbus peer scripts import.
# Prints one line naming what is missing and exits 1, or prints nothing and exits 0.
set -uo pipefail

missing=()
for binary in /usr/sbin/mosquitto /usr/bin/mosquitto_passwd /usr/bin/socat /usr/bin/python3 /usr/bin/chromium /usr/bin/promtool /usr/bin/curl /usr/bin/systemd-analyze; do
  [ -x "$binary" ] || missing+=("$binary")
done

if [ -x /usr/bin/python3 ]; then
  # The imports of tests/firmware/CommunityGrid.Meter.Linux.Tests/ModbusPeer/*.py, including the
  # serial transport pymodbus loads lazily when a serial server starts.
  modules=(argparse asyncio struct select tty serial serial_asyncio pymodbus
           pymodbus.datastore pymodbus.server pymodbus.transaction)
  for module in "${modules[@]}"; do
    /usr/bin/python3 -c "import $module" >/dev/null 2>&1 || missing+=("python3 module $module")
  done
  /usr/bin/python3 -c "from pymodbus.server import StartAsyncSerialServer; from pymodbus.transaction import ModbusRtuFramer" \
    >/dev/null 2>&1 || missing+=("pymodbus serial server (StartAsyncSerialServer, ModbusRtuFramer)")
fi

if [ ${#missing[@]} -gt 0 ]; then
  (IFS=","; echo "Test peers missing after installing packages: ${missing[*]} — install them (apt-get install mosquitto socat python3-pymodbus python3-serial python3-serial-asyncio chromium prometheus curl systemd) and rerun." >&2)
  exit 1
fi
