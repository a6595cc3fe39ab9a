// Compile-only stand-ins for the nanoFramework package APIs the ESP32 app calls, shaped after the 1.x sources
// (Hardware.Esp32 1.6.42, System.Device.I2c 1.1.29, System.IO.Ports 1.1.139, System.Device.Wifi 1.5.147, M2Mqtt 5.1.220,
// CharacterLcd 1.1.801, System.IO.FileSystem 1.1.93, System.Threading 1.1.52, System.Net 1.11.60 incl. NetworkChange). Only what the app uses;
// NanoBuildTests compiles the app against these plus nanoFramework mscorlib 1.17.11. Not part of this test assembly.
using System;
namespace nanoFramework.Hardware.Esp32 {
  public enum DeviceFunction { I2C1_DATA, I2C1_CLOCK, COM2_TX, COM2_RX, COM2_RTS }
  public static class Configuration { public static void SetPinFunction(int pin, DeviceFunction f) {} }
  public static class HighResTimer { public static ulong GetCurrent() => 0; }
}
namespace System.Device.I2c {
  public struct SpanByte { public static implicit operator SpanByte(byte[] a) => default; }
  public enum I2cTransferStatus { FullTransfer, PartialTransfer }
  public struct I2cTransferResult { public I2cTransferStatus Status => default; }
  public class I2cConnectionSettings { public I2cConnectionSettings(int bus, int addr) {} }
  public class I2cDevice { public static I2cDevice Create(I2cConnectionSettings s) => new I2cDevice();
    public I2cTransferResult Write(SpanByte b) => default; public I2cTransferResult WriteRead(SpanByte w, SpanByte r) => default; }
}
namespace System.Device.Gpio {
  public enum PinMode { InputPullUp } public enum PinValue { Low, High }
  public class GpioPin { public PinValue Read() => PinValue.High; }
  public class GpioController { public GpioPin OpenPin(int p, PinMode m) => new GpioPin(); }
}
namespace System.IO.Ports {
  public enum Parity { None, Odd, Even } public enum StopBits { One, Two } public enum SerialMode { Normal, RS485 }
  public class SerialPort { public SerialPort(string n, int b, Parity p, int d, StopBits s) {} public SerialMode Mode { get; set; }
    public int ReadTimeout { get; set; } public void Open() {} public void Write(byte[] b, int o, int c) {} public int BytesToRead => 0;
    public int Read(byte[] b, int o, int c) => 0; }
}
namespace nanoFramework.Networking {
  public enum NetworkHelperStatus { None, NetworkIsReady }
  public static class WifiNetworkHelper { public static bool ConnectDhcp(string ssid, string password, int reconnectionKind = 0, bool requiresDateTime = false, int wifiAdapterId = 0, System.Threading.CancellationToken token = default) => true;
    public static NetworkHelperStatus Status => default; public static Exception HelperException => null!; }
}
namespace nanoFramework.M2Mqtt.Messages {
  public enum MqttQoSLevel { AtMostOnce, AtLeastOnce } public enum MqttReasonCode { Success }
  public class MqttMsgPublishEventArgs : EventArgs { public string Topic => ""; public byte[] Message => new byte[0]; }
}
namespace nanoFramework.M2Mqtt {
  using nanoFramework.M2Mqtt.Messages; using System.Collections; using System.Security.Cryptography.X509Certificates;
  public enum MqttSslProtocols { None, TLSv1_2 }
  public class MqttSettings { public static MqttSettings Instance => new MqttSettings(); public int InflightQueueSize { get; set; } }
  public delegate void MqttMsgPublishEventHandler(object sender, MqttMsgPublishEventArgs e);
  public class MqttClient : IDisposable { public MqttClient(string h, int p, bool s, X509Certificate? ca, X509Certificate? cl, MqttSslProtocols pr) {} public void Dispose() {}
    public event MqttMsgPublishEventHandler? MqttMsgPublishReceived; public bool IsConnected => false;
    public MqttReasonCode Connect(string id, string u, string p, bool clean, ushort keepAlive) => default;
    public MqttReasonCode Connect(string id, string u, string p, bool willRetain, MqttQoSLevel willQos, bool willFlag, string willTopic, string willMessage, bool clean, ushort keepAlive) => default;
    public ushort Subscribe(string[] t, MqttQoSLevel[] q) => 0; public void Disconnect() {}
    public ushort Publish(string topic, byte[] message, string? contentType, ArrayList? userProperties, MqttQoSLevel qos, bool retain) => 0; }
}
namespace Iot.Device.CharacterLcd {
  using System.Device.I2c;
  public abstract class LcdInterface { public static LcdInterface CreateI2c(I2cDevice d, bool uses8Bit = true) => null!; }
  public class Hd44780 { public bool BacklightOn { get; set; } public void SetCursorPosition(int l, int t) {} public void Write(string s) {} }
  public class Lcd1602 : Hd44780 { public Lcd1602(LcdInterface i) {} } public class Lcd2004 : Hd44780 { public Lcd2004(LcdInterface i) {} }
}
namespace System.IO {
  public enum FileMode { Create = 2, Append = 6 } public enum FileAccess { Write = 2 }
  public class FileStream : IDisposable { public FileStream(string p, FileMode m, FileAccess a) {} public void Write(byte[] b, int o, int c) {} public void Flush() {} public void Dispose() {} }
  public static class File { public static bool Exists(string p) => false; public static byte[] ReadAllBytes(string p) => new byte[0];
    public static void Delete(string p) {} public static void Move(string a, string b) {} }
}
namespace System.Net.NetworkInformation {
  public class NetworkAvailabilityEventArgs : EventArgs { public bool IsAvailable => false; }
  public delegate void NetworkAvailabilityChangedEventHandler(object sender, NetworkAvailabilityEventArgs e);
  public static class NetworkChange { public static event NetworkAvailabilityChangedEventHandler? NetworkAvailabilityChanged; }
}
namespace System.Threading { public struct CancellationToken {} public class CancellationTokenSource { public CancellationTokenSource(int ms) {} public CancellationToken Token => default; } }
namespace System.Security.Cryptography.X509Certificates { public class X509Certificate { public X509Certificate(byte[] pem) {} } }
