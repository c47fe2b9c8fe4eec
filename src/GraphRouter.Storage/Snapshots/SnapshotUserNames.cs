using GraphRouter.Storage.Tenancy;

namespace GraphRouter.Storage.Snapshots;

/// <summary>
/// The user names a snapshot's dataset carries (<see cref="StoreSnapshot.Dataset"/>): one per stored user, all distinct.
/// The default tenant's users keep their ids as they are (a store that only imported a dataset gives it back exactly,
/// and training on it is unchanged); another tenant's user is <c>tenant/user</c>. Tenant ids have no '/', so two users
/// of other tenants never get one name; a default user whose id happens to be such a name keeps it, and the other
/// tenant's user becomes <c>tenant/user#2</c> (or #3, ...: the first suffix no user holds), users taken in (tenant,
/// user id) ordinal order, so the same store state always gives the same names.
/// </summary>
internal static class SnapshotUserNames
{
    public static Dictionary<TenantUser, string> Assign(IEnumerable<TenantUser> users)
    {
        var all = users.ToList();
        var names = new Dictionary<TenantUser, string>(all.Count);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in all.Where(u => u.Tenant == Tenants.Default))
        {
            names[user] = user.UserId;
            taken.Add(user.UserId);
        }
        var others = all.Where(u => u.Tenant != Tenants.Default)
            .OrderBy(u => u.Tenant, StringComparer.Ordinal)
            .ThenBy(u => u.UserId, StringComparer.Ordinal);
        foreach (var user in others)
        {
            var name = user.Tenant + "/" + user.UserId;
            if (taken.Contains(name))
            {
                var suffix = 2;
                while (taken.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}#{suffix}")))
                {
                    suffix++;
                }
                name = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}#{suffix}");
            }
            names[user] = name;
            taken.Add(name);
        }
        return names;
    }
}
