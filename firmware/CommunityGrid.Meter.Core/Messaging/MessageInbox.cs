using System;
using System.Collections;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// Messages the MQTT client's thread received, waiting for the main loop (which alone touches the reading queue).
    /// Bounded: a gateway flooding the meter cannot exhaust its memory; what does not fit is dropped and counted (acks
    /// are cumulative and display data is resent, so a dropped message only delays).
    /// </summary>
    public sealed class MessageInbox
    {
        private readonly ArrayList _messages = new ArrayList();
        private readonly int _capacity;
        private int _dropped;

        public MessageInbox(int capacity)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "an inbox holds at least one message");
            _capacity = capacity;
        }

        /// <summary>Messages dropped because the inbox was full.</summary>
        public int DroppedCount
        {
            get
            {
                lock (_messages) return _dropped;
            }
        }

        /// <summary>From the receiving thread. False (and counted) when the inbox is full.</summary>
        public bool Add(string topic, byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(topic);
            ArgumentNullException.ThrowIfNull(payload);
            lock (_messages)
            {
                if (_messages.Count >= _capacity)
                {
                    _dropped++;
                    return false;
                }
                _messages.Add(new InboxMessage(topic, payload));
                return true;
            }
        }

        /// <summary>The oldest message, or null when none waits.</summary>
        public InboxMessage? Take()
        {
            lock (_messages)
            {
                if (_messages.Count == 0) return null;
                var message = (InboxMessage)_messages[0]!;
                _messages.RemoveAt(0);
                return message;
            }
        }
    }

    /// <summary>One received MQTT message.</summary>
    public sealed class InboxMessage
    {
        public InboxMessage(string topic, byte[] payload)
        {
            Topic = topic;
            Payload = payload;
        }

        public string Topic { get; }

        public byte[] Payload { get; }
    }
}
