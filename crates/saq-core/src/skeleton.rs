//! Skeletons (being written).
