// Who is acting: the authenticated user, the clinic they act in, their roles
// there, and where the request came from. Built by AuthService from a session
// (or by the CLI for a local operator) and passed to every service call.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "services/permissions.h"

namespace ketachart {

struct Actor {
  int64_t user_id = 0;          // 0: not authenticated
  std::string username;         // "anonymous" or "cli:<os user>" when not a staff account
  int64_t clinic_id = 0;        // the active clinic; 0 when none
  std::set<Role> roles;         // roles in the active clinic
  std::string client_address;   // IP address, or "cli"

  bool Can(Permission permission) const { return RolesGrant(roles, permission); }
};

}  // namespace ketachart
