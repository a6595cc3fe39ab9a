using System;

namespace CommunityGrid.Node.Hosting;

/// <summary>The node cannot start; the message says what is wrong and what to do.</summary>
public sealed class NodeStartupException(string message, Exception? inner = null) : Exception(message, inner);
