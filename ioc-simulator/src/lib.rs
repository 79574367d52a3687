//! A Falcon IOC API simulator on loopback (being built).
