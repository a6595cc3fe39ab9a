using MQTTnet;

namespace CommunityGrid.Meter.Linux.Mqtt
{
    /// <summary>What an installer should do about a broker's refusal of the meter's login (its CONNACK reason code).</summary>
    public static class ConnectRefusal
    {
        public static string Advice(MqttClientConnectResultCode code, string meterId) => code switch
        {
            MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized =>
                $"the broker does not accept meter '{meterId}' with this key: check meterId and chainId in the config against the enrolment, " +
                "and that the meter was enrolled with this key (cgrid meter enrol); an external broker needs the password from cgrid-meter --print-mqtt-password",
            MqttClientConnectResultCode.ClientIdentifierNotValid =>
                $"the broker refused the client id cgrid-meter-{meterId}: it belongs to another meter or is malformed; check meterId in the config",
            MqttClientConnectResultCode.QuotaExceeded or MqttClientConnectResultCode.ServerBusy or MqttClientConnectResultCode.ServerUnavailable
                or MqttClientConnectResultCode.ConnectionRateExceeded =>
                "the broker is busy or holds too many sessions for this meter; the meter keeps retrying, nothing is lost",
            MqttClientConnectResultCode.UnsupportedProtocolVersion =>
                "the broker does not speak MQTT 5; use the gateway's embedded broker or Mosquitto 2.x",
            MqttClientConnectResultCode.Banned => "the broker has banned this meter; ask the gateway's operator",
            _ => "the broker's log says why; the meter keeps retrying",
        };
    }
}
