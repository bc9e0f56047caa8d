namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>How hard a commit waits for the disk.</summary>
internal enum SqliteDurability
{
    /// <summary>Every commit is synced to disk: it survives a power loss. The default.</summary>
    Full,

    /// <summary>Commits survive a process crash but the last ones may be lost on power loss; several times faster.</summary>
    Normal,
}
