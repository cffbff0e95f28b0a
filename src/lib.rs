//! dutydesk
