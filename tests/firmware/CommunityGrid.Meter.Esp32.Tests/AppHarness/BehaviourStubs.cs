// Runnable stand-ins for the nanoFramework package APIs that GatewayLink and LcdScreen call, behaving as the 1.x sources
// do where the defects of issue 15 (cases 2 and 3) lie: an M2Mqtt client owns its socket, TLS session and thread until it
// is disposed; GpioController.OpenPin refuses a pin that is already open. Each stand-in counts what the app did with it.
// Compiled only into the harness AppBehaviourTests builds (with the app's files and the portable core), never into the
// test assembly.
using System;
using System.Collections;
using System.Security.Cryptography.X509Certificates;

namespace nanoFramework.M2Mqtt.Messages
{
    public enum MqttQoSLevel { AtMostOnce, AtLeastOnce }
    public enum MqttReasonCode { Success = 0, NotAuthorized = 0x87, ServerUnavailable = 0x88 }
    public class MqttMsgPublishEventArgs : EventArgs { public string Topic { get; set; } = ""; public byte[] Message { get; set; } = new byte[0]; }
}

namespace nanoFramework.M2Mqtt
{
    using nanoFramework.M2Mqtt.Messages;

    public enum MqttSslProtocols { None, TLSv1_2 }

    public class MqttSettings { public static MqttSettings Instance { get; } = new MqttSettings(); public int InflightQueueSize { get; set; } }

    public delegate void MqttMsgPublishEventHandler(object sender, MqttMsgPublishEventArgs e);

    /// <summary>What the next Connect does.</summary>
    public enum BrokerBehaviour { Accept, Refuse, TimeOut, AcceptThenFailSubscribe }

    public class MqttClient : IDisposable
    {
        public static BrokerBehaviour Next = BrokerBehaviour.Accept;
        public static int Created;
        public static int Disposed;
        public static MqttClient? Last;
        private bool _disposed;

        public MqttClient(string host, int port, bool secure, X509Certificate? ca, X509Certificate? client, MqttSslProtocols protocol)
        {
            Created++;
            Last = this;
            Broker = host + ":" + port;
        }

        /// <summary>host:port this client was made for; what it subscribed to and published, and with which password it logged in.</summary>
        public string Broker { get; }
        public string[] Subscribed { get; private set; } = new string[0];
        public ArrayList PublishedTopics { get; } = new ArrayList();
        public string Password { get; private set; } = "";

        /// <summary>A message from the broker, as M2Mqtt raises it on its own thread.</summary>
        public void Deliver(string topic, byte[] payload) => MqttMsgPublishReceived?.Invoke(this, new MqttMsgPublishEventArgs { Topic = topic, Message = payload });

        public event MqttMsgPublishEventHandler? MqttMsgPublishReceived;

        public bool IsConnected { get; set; }

        /// <summary>The last will of the last connect with one: (topic, message, retained).</summary>
        public static (string Topic, string Message, bool Retain)? LastWill;

        /// <summary>Every publish: (topic, payload as text, QoS, retained), in order.</summary>
        public static readonly System.Collections.Generic.List<(string Topic, string Payload, MqttQoSLevel Qos, bool Retain)> Published = new();

        /// <summary>When set, Publish throws as M2Mqtt does when its inflight queue is full.</summary>
        public static bool PublishQueueFull;

        public MqttReasonCode Connect(string id, string user, string password, bool willRetain, MqttQoSLevel willQos, bool willFlag,
            string willTopic, string willMessage, bool clean, ushort keepAlive)
        {
            MqttReasonCode code = Connect(id, user, password, clean, keepAlive);
            if (code == MqttReasonCode.Success && willFlag) LastWill = (willTopic, willMessage, willRetain);
            return code;
        }

        public MqttReasonCode Connect(string id, string user, string password, bool clean, ushort keepAlive)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(MqttClient));
            Password = password;
            switch (Next)
            {
                case BrokerBehaviour.Refuse: return MqttReasonCode.NotAuthorized;
                case BrokerBehaviour.TimeOut: throw new Exception("connection timed out");
                default:
                    IsConnected = true;
                    return MqttReasonCode.Success;
            }
        }

        public ushort Subscribe(string[] topics, MqttQoSLevel[] qos)
        {
            if (Next == BrokerBehaviour.AcceptThenFailSubscribe) throw new Exception("subscribe timed out");
            Subscribed = topics;
            return 1;
        }

        public void Disconnect() => IsConnected = false;

        public ushort Publish(string topic, byte[] message, string? contentType, ArrayList? userProperties, MqttQoSLevel qos, bool retain)
        {
            if (PublishQueueFull) throw new Exception("inflight queue full");
            Published.Add((topic, System.Text.Encoding.UTF8.GetString(message), qos, retain));
            PublishedTopics.Add(topic);
            return 1;
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Disposed++;
        }
    }
}

namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction { I2C1_DATA, I2C1_CLOCK, COM2_TX, COM2_RX, COM2_RTS }
    public static class Configuration { public static void SetPinFunction(int pin, DeviceFunction f) { } }
}

namespace System.Device.I2c
{
    public class I2cConnectionSettings { public I2cConnectionSettings(int bus, int address) { } }
    public class I2cDevice { public static I2cDevice Create(I2cConnectionSettings s) => new I2cDevice(); }
}

namespace System.Device.Gpio
{
    public enum PinMode { InputPullUp }
    public enum PinValue { Low, High }
    public class GpioPin { public PinValue Read() => PinValue.High; }

    public class GpioController
    {
        private static readonly ArrayList Open = new ArrayList();
        public static int Opened => Open.Count;

        /// <summary>As nanoFramework: a pin that is already open cannot be opened again.</summary>
        public GpioPin OpenPin(int pin, PinMode mode)
        {
            if (Open.Contains(pin)) throw new InvalidOperationException("pin " + pin + " is already open");
            Open.Add(pin);
            return new GpioPin();
        }
    }
}

namespace Iot.Device.CharacterLcd
{
    using System.Device.I2c;
    public abstract class LcdInterface { public static LcdInterface CreateI2c(I2cDevice d, bool uses8Bit = true) => new I2cInterface(); private sealed class I2cInterface : LcdInterface { } }
    public class Hd44780 { public bool BacklightOn { get; set; } public void SetCursorPosition(int l, int t) { } public void Write(string s) { } }
    public class Lcd1602 : Hd44780 { public Lcd1602(LcdInterface i) { } }
    public class Lcd2004 : Hd44780 { public Lcd2004(LcdInterface i) { } }
}
